// The page's words in Chinese (the default) and English, from strings.json. The choice is remembered in
// localStorage, so the page opens in it offline too.

export const LANGUAGES = ["zh", "en"];
const DEFAULT_LANGUAGE = "zh";
const LOCALES = { zh: "zh-CN", en: "en" };
const LANGUAGE_KEY = "pass.lang";

let strings = {};
let language = DEFAULT_LANGUAGE;

/** Load the strings table once, before anything is written on the page. */
export async function loadStrings(url) {
  const reply = await fetch(url);
  if (!reply.ok) throw new Error(`strings: ${reply.status}`);
  strings = await reply.json();
}

/** The language the page opens in: the one chosen before, else Chinese. */
export function rememberedLanguage() {
  const chosen = window.localStorage.getItem(LANGUAGE_KEY);
  return LANGUAGES.includes(chosen) ? chosen : DEFAULT_LANGUAGE;
}

/** Switch to `chosen` and remember it. */
export function setLanguage(chosen) {
  language = LANGUAGES.includes(chosen) ? chosen : DEFAULT_LANGUAGE;
  window.localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = LOCALES[language];
}

export function currentLanguage() {
  return language;
}

export function locale() {
  return LOCALES[language];
}

/** The text of `key` in the current language, with {name} placeholders filled from `values`. */
export function t(key, values = {}) {
  const table = strings[language] || {};
  const text = key in table ? table[key] : (strings[DEFAULT_LANGUAGE] || {})[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Whether the table has `key` (error codes the server may add later fall back to a general text). */
export function has(key) {
  return key in (strings[DEFAULT_LANGUAGE] || {});
}

/** Write every element's data-i18n text and data-i18n-label aria-label in the current language. */
export function translatePage(root = document) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll("[data-i18n-label]")) {
    element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  }
}
