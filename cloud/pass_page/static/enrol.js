// Registering this phone: the proof (the URL fragment's proof=, a scanned card, or pasted card text), a new
// key pair made here, and POST /api/v1/passes with its public half. The private half never leaves the phone.

import { registerPass } from "./cloud.js";
import { newPhoneKey, publicKeyBase64 } from "./codes.js";
import { has, t } from "./i18n.js";
import { savePass } from "./storage.js";

const SCAN_INTERVAL_MS = 300;

/** The proof the receipt page's link carries in the fragment (#proof=...), removed from the address bar. */
export function proofFromFragment() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const proof = fragment.get("proof");
  if (proof !== null) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return proof ? proof.trim() : null;
}

function showError(key) {
  const element = document.getElementById("enrol-error");
  element.textContent = t(has(key) ? key : "error.other");
  element.hidden = false;
}

/** Make a key, register it with the proof, keep the pass; the pass record, or null (the error is shown). */
async function enrol(proof) {
  const keyPair = await newPhoneKey();
  if (keyPair === null) {
    showError("error.bad_public_key");
    return null;
  }
  const reply = await registerPass(proof, await publicKeyBase64(keyPair.publicKey));
  if (!reply.ok) {
    showError(`error.${reply.code}`);
    return null;
  }
  const record = {
    passId: reply.pass.pass_id,
    volunteerId: reply.pass.volunteer_id,
    displayName: reply.pass.display_name,
    createdUtc: reply.pass.created_utc,
    keyPair,
  };
  await savePass(record);
  return record;
}

/** Wire the enrolment form; `enrolled(record)` is called once the phone is registered. */
export function setUpEnrolment(enrolled) {
  const field = document.getElementById("proof");
  const submit = document.getElementById("enrol-submit");
  const error = document.getElementById("enrol-error");
  let busy = false;

  async function submitProof() {
    if (busy) return;
    const proof = field.value.trim();
    error.hidden = true;
    if (!proof) {
      showError("error.empty");
      return;
    }
    busy = true;
    submit.disabled = true;
    submit.textContent = t("enrol.working");
    try {
      const record = await enrol(proof);
      if (record !== null) enrolled(record);
    } finally {
      busy = false;
      submit.disabled = false;
      submit.textContent = t("enrol.submit");
    }
  }

  submit.addEventListener("click", submitProof);
  setUpScanner((text) => {
    field.value = text;
    submitProof();
  });
  return {
    fill(proof) {
      field.value = proof;
    },
  };
}

/** The "scan my card" button, where the browser can read QR codes from the camera (BarcodeDetector). */
function setUpScanner(found) {
  const button = document.getElementById("scan-card");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  const panel = document.getElementById("scanner");
  const video = document.getElementById("scanner-video");
  let stream = null;
  let timer = null;

  function stop() {
    clearInterval(timer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    panel.hidden = true;
    button.hidden = false;
  }

  button.addEventListener("click", async () => {
    try {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      await video.play();
      panel.hidden = false;
      button.hidden = true;
      timer = setInterval(async () => {
        const codes = await detector.detect(video).catch(() => []);
        const text = codes.map((code) => code.rawValue).find((value) => value);
        if (text) {
          stop();
          found(text.trim());
        }
      }, SCAN_INTERVAL_MS);
    } catch (error) {
      stop();
    }
  });
  document.getElementById("scan-stop").addEventListener("click", stop);
}
