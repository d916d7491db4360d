// The page's words in Chinese (the default) and English, from strings.json, and how numbers and times
// are written in each. The language is ?lang=zh|en when given (then remembered in the `lang` cookie),
// else the `lang` cookie, else Chinese.

export const LANGUAGES = ["zh", "en"];
const DEFAULT_LANGUAGE = "zh";
const LOCALES = { zh: "zh-CN", en: "en" };
const COOKIE_DAYS = 365;

let strings = {};
let language = DEFAULT_LANGUAGE;

/** Load the strings table once, before anything is written on the page. */
export async function loadStrings(url) {
  const reply = await fetch(url, { credentials: "same-origin" });
  if (!reply.ok) throw new Error(`strings: ${reply.status}`);
  strings = await reply.json();
}

/** The language the page opens in: ?lang=, else the cookie, else Chinese; a ?lang= is remembered. */
export function chooseLanguage() {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (LANGUAGES.includes(asked)) {
    rememberLanguage(asked);
    return asked;
  }
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("lang="));
  const remembered = cookie ? decodeURIComponent(cookie.slice(5)) : null;
  return LANGUAGES.includes(remembered) ? remembered : DEFAULT_LANGUAGE;
}

/** Keep the choice in the `lang` cookie (the login page reads it too). */
export function rememberLanguage(chosen) {
  const maxAge = COOKIE_DAYS * 24 * 3600;
  document.cookie = `lang=${encodeURIComponent(chosen)}; path=/; max-age=${maxAge}; samesite=lax`;
}

export function setLanguage(chosen) {
  language = LANGUAGES.includes(chosen) ? chosen : DEFAULT_LANGUAGE;
  document.documentElement.lang = LOCALES[language];
}

export function currentLanguage() {
  return language;
}

/** The text of `key` in the current language, with {name} placeholders filled from `values`. */
export function t(key, values = {}) {
  const table = strings[language] || {};
  const text = key in table ? table[key] : (strings[DEFAULT_LANGUAGE] || {})[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** `key` when the table has it, else `fallback` (for codes the server may add later). */
export function tOr(key, fallback) {
  const table = strings[language] || {};
  return key in table ? table[key] : fallback;
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

export function formatCount(value) {
  return new Intl.NumberFormat(LOCALES[language]).format(value ?? 0);
}

export function formatHours(value) {
  return new Intl.NumberFormat(LOCALES[language], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value ?? 0);
}

/** A number with at most one decimal and its sign ("+2.5", "-0.3", "0"). */
export function formatSignedDecimal(value) {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(value);
}

/** HH:MM:SS of a Date, in the browser's time zone. */
export function formatClock(date) {
  return new Intl.DateTimeFormat(LOCALES[language], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }).format(date);
}

/** HH:MM of a UTC ISO time, in the browser's time zone. */
export function formatTimeOfDay(isoUtc) {
  if (!isoUtc) return "";
  return new Intl.DateTimeFormat(LOCALES[language], { hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(isoUtc));
}

/** Month, day and HH:MM of a UTC ISO time, in the browser's time zone. */
export function formatDateTime(isoUtc) {
  if (!isoUtc) return "";
  return new Intl.DateTimeFormat(LOCALES[language], { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(isoUtc));
}

/** How long ago a UTC ISO time was, in words ("3 分钟前", "3 minutes ago"), from `now` (a Date). */
export function formatAgo(isoUtc, now) {
  const seconds = Math.round((now.getTime() - new Date(isoUtc).getTime()) / 1000);
  if (seconds < 45) return t("time.just_now");
  const words = new Intl.RelativeTimeFormat(LOCALES[language], { numeric: "auto" });
  const steps = [
    [60, "second", 1],
    [3600, "minute", 60],
    [86400, "hour", 3600],
    [Infinity, "day", 86400],
  ];
  for (const [below, unit, size] of steps) {
    if (seconds < below) return words.format(-Math.round(seconds / size), unit);
  }
  return "";
}
