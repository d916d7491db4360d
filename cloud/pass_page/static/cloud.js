// The three questions the page asks the cloud: its time, to register, and whether the pass still works.
// Every one may fail (no network); the callers carry on offline with what the phone kept.

const API = "../api/v1";
const TIMEOUT_MS = 8000;

async function request(path, options = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await fetch(`${API}${path}`, { cache: "no-store", ...options, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** The offset (ms) to add to the phone's clock to get the cloud's: measured around one GET /time. */
export async function measureOffset() {
  const sent = Date.now();
  const reply = await request("/time");
  const received = Date.now();
  if (!reply.ok) throw new Error(`time: ${reply.status}`);
  const { server_time: serverTime } = await reply.json();
  const server = Date.parse(serverTime);
  if (!Number.isFinite(server)) throw new Error("time: unreadable");
  return server - (sent + received) / 2;
}

/** Register the phone: {ok: true, pass} or {ok: false, code} (`offline` when the cloud was not reached). */
export async function registerPass(proof, publicKey) {
  let reply;
  try {
    reply = await request("/passes", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ proof, public_key: publicKey }),
    });
  } catch (error) {
    return { ok: false, code: "offline" };
  }
  const body = await reply.json().catch(() => ({}));
  if (reply.status === 201) return { ok: true, pass: body };
  return { ok: false, code: body.error || "other" };
}

/** "active", "revoked" ("unknown" too: the cloud never gave it, so no kiosk takes it), or null offline. */
export async function passStatus(passId) {
  try {
    const reply = await request(`/passes/${encodeURIComponent(passId)}`);
    if (!reply.ok) return null;
    const body = await reply.json();
    if (body.status === "active") return "active";
    return body.status === "revoked" || body.status === "unknown" ? "revoked" : null;
  } catch (error) {
    return null; // offline, or not the cloud answering (a captive portal's page is not JSON)
  }
}
