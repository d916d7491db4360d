// Pass codes as the phone makes them (docs/codes.md, "Phone pass code (VP1)"): every 30 s of platform time,
// the compact JSON array [pass_id, step] signed with the phone's Ed25519 key over "VP1|" + payload, written
// as "VP1:" + base45 (RFC 9285) of payload || signature. checkin_protocol/codes/pass_codes.py reads them.

export const STEP_SECONDS = 30;
const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const encoder = new TextEncoder();

/** RFC 9285 base45 of `bytes` (a Uint8Array): every two bytes become three characters, a last byte two. */
export function base45(bytes) {
  let text = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let value = bytes[i] * 256 + bytes[i + 1];
    const c = value % 45;
    value = (value - c) / 45;
    const d = value % 45;
    const e = (value - d) / 45;
    text += BASE45[c] + BASE45[d] + BASE45[e];
  }
  if (bytes.length % 2 === 1) {
    const value = bytes[bytes.length - 1];
    text += BASE45[value % 45] + BASE45[Math.floor(value / 45)];
  }
  return text;
}

/** The 30-second step that holds `unixMs` (platform time, in milliseconds). */
export function stepOf(unixMs) {
  return Math.floor(unixMs / 1000 / STEP_SECONDS);
}

/** The payload bytes of a code: compact JSON of [pass_id, step], as Python's to_payload writes it. */
export function payloadOf(passId, step) {
  return encoder.encode(JSON.stringify([passId, step]));
}

/** The "VP1:" text of `step` for the pass, signed with the phone's private CryptoKey (never exported). */
export async function signPassCode(passId, step, privateKey) {
  const payload = payloadOf(passId, step);
  const signed = new Uint8Array(4 + payload.length);
  signed.set(encoder.encode("VP1|"));
  signed.set(payload, 4);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, privateKey, signed));
  const whole = new Uint8Array(payload.length + signature.length);
  whole.set(payload);
  whole.set(signature, payload.length);
  return `VP1:${base45(whole)}`;
}

/** A new Ed25519 key pair whose private half can sign but never be exported; null where unsupported. */
export async function newPhoneKey() {
  if (!window.isSecureContext || !window.crypto || !crypto.subtle) return null;
  try {
    return await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
  } catch (error) {
    return null;
  }
}

/** Standard base64 of the raw 32-byte public key, as the cloud stores it. */
export async function publicKeyBase64(publicKey) {
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", publicKey));
  let binary = "";
  for (const byte of raw) binary += String.fromCharCode(byte);
  return btoa(binary);
}
