// The pass page: enrolment on the first visit, the pass on every visit after (docs/phone-pass.md).
// The pass's code is signed here every 30 s of platform time: the phone's clock plus the offset last
// measured against the cloud (kept, so the code stays right offline).

import { measureOffset, passStatus } from "./cloud.js";
import { STEP_SECONDS, signPassCode, stepOf } from "./codes.js";
import { proofFromFragment, setUpEnrolment } from "./enrol.js";
import { currentLanguage, loadStrings, locale, rememberedLanguage, setLanguage, t, translatePage } from "./i18n.js";
import { drawQr } from "./qr.js";
import { forgetPass, knownRevoked, loadPass, markRevoked, storeOffset, storedOffset } from "./storage.js";

const TICK_MS = 250;
const REFRESH_MS = 60 * 1000;
const VIEWS = ["loading", "unsupported", "enrol", "enrolled", "pass", "revoked"];
const MAX_QR_PX = 560;

const state = {
  record: null,
  offsetMs: 0,
  online: null,
  shownStep: null,
  signing: false,
  timers: [],
};

function show(view) {
  for (const id of VIEWS) document.getElementById(id).hidden = id !== view;
}

function stopTimers() {
  state.timers.forEach((timer) => clearInterval(timer));
  state.timers = [];
}

function platformNow() {
  return Date.now() + state.offsetMs;
}

function qrSize() {
  const frame = document.getElementById("qr-frame");
  const width = frame.clientWidth || window.innerWidth - 32;
  return Math.min(width, Math.round(window.innerHeight * 0.6), MAX_QR_PX);
}

async function drawStep(step) {
  state.signing = true;
  try {
    const text = await signPassCode(state.record.passId, step, state.record.keyPair.privateKey);
    drawQr(document.getElementById("qr"), text, qrSize());
    state.shownStep = step;
  } catch (error) {
    stopTimers();
    show("unsupported");
  } finally {
    state.signing = false;
  }
}

function tick() {
  const now = platformNow();
  const step = stepOf(now);
  if (step !== state.shownStep && !state.signing) drawStep(step);
  const left = STEP_SECONDS - ((now / 1000) % STEP_SECONDS);
  document.getElementById("countdown-bar").style.width = `${(left / STEP_SECONDS) * 100}%`;
  const time = new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  document.getElementById("clock-time").textContent = time.format(new Date(now));
  document.getElementById("clock-left").textContent = t("pass.left", { seconds: Math.ceil(left) });
}

function writeStatus() {
  const status = document.getElementById("pass-status");
  status.textContent = state.online === null ? "" : t(state.online ? "pass.online" : "pass.offline");
}

function showRevoked() {
  stopTimers();
  show("revoked");
}

/** Measure the clock offset and ask whether the pass still works; offline, keep what the phone has. */
async function refreshFromCloud() {
  try {
    state.offsetMs = await measureOffset();
    storeOffset(state.offsetMs);
    state.online = true;
  } catch (error) {
    state.online = false;
  }
  if (state.online) {
    const status = await passStatus(state.record.passId);
    if (status === "revoked") {
      markRevoked(state.record.passId);
      showRevoked();
      return;
    }
  }
  writeStatus();
}

function startPass(record) {
  stopTimers();
  state.record = record;
  state.shownStep = null;
  document.getElementById("pass-name").textContent = record.displayName;
  if (knownRevoked(record.passId)) {
    showRevoked();
    return;
  }
  state.offsetMs = storedOffset();
  show("pass");
  tick();
  state.timers.push(setInterval(tick, TICK_MS));
  refreshFromCloud();
  state.timers.push(setInterval(refreshFromCloud, REFRESH_MS));
}

function enrolled(record) {
  document.getElementById("enrolled-name").textContent = record.displayName;
  show("enrolled");
  document.getElementById("show-pass").onclick = () => startPass(record);
}

function writeLanguageButton() {
  const button = document.getElementById("lang-switch");
  button.textContent = t("lang.other");
  button.lang = currentLanguage() === "zh" ? "en" : "zh-CN";
}

function switchLanguage() {
  setLanguage(currentLanguage() === "zh" ? "en" : "zh");
  translatePage();
  writeLanguageButton();
  writeStatus();
  if (state.timers.length) tick();
}

function registerServiceWorker() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
}

async function main() {
  await loadStrings("strings.json");
  setLanguage(rememberedLanguage());
  translatePage();
  writeLanguageButton();
  document.getElementById("lang-switch").addEventListener("click", switchLanguage);
  window.addEventListener("resize", () => {
    state.shownStep = null;
  });
  registerServiceWorker();
  const proof = proofFromFragment();
  const form = setUpEnrolment(enrolled);
  document.getElementById("enrol-again").addEventListener("click", async () => {
    await forgetPass();
    show("enrol");
  });
  if (!window.isSecureContext || !window.crypto || !crypto.subtle || !window.indexedDB) {
    show("unsupported");
    return;
  }
  const record = await loadPass().catch(() => undefined);
  if (record) {
    startPass(record);
    return;
  }
  if (proof) form.fill(proof);
  show("enrol");
}

main();
