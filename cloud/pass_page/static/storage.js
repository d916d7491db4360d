// What the phone keeps: the pass and its key pair in IndexedDB (a CryptoKey is stored as it is, its private
// half still not exportable), the measured clock offset and the last known status in localStorage.

const DATABASE = "volunteer-pass";
const STORE = "pass";
const RECORD = "current";
const OFFSET_KEY = "pass.clockOffsetMs";
const REVOKED_KEY = "pass.revoked";

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function inStore(mode, work) {
  const database = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    database.close();
  }
}

/** The pass this phone holds: {passId, volunteerId, displayName, createdUtc, keyPair}, or undefined. */
export function loadPass() {
  return inStore("readonly", (store) => store.get(RECORD));
}

/** Keep the pass the cloud registered, with the key pair that signs its codes. */
export async function savePass(record) {
  await inStore("readwrite", (store) => store.put(record, RECORD));
  window.localStorage.removeItem(REVOKED_KEY);
}

/** Forget the pass and its key (registering again makes a new key). */
export async function forgetPass() {
  await inStore("readwrite", (store) => store.delete(RECORD));
  window.localStorage.removeItem(REVOKED_KEY);
}

/** The last clock offset measured against the cloud (ms to add to the phone's clock), 0 if never. */
export function storedOffset() {
  const value = Number(window.localStorage.getItem(OFFSET_KEY));
  return Number.isFinite(value) ? value : 0;
}

export function storeOffset(offsetMs) {
  window.localStorage.setItem(OFFSET_KEY, String(Math.round(offsetMs)));
}

/** Whether the cloud last said the pass `passId` is revoked (kept, so it shows offline too). */
export function knownRevoked(passId) {
  return window.localStorage.getItem(REVOKED_KEY) === passId;
}

export function markRevoked(passId) {
  window.localStorage.setItem(REVOKED_KEY, passId);
}
