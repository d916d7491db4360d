// The staff dashboard's entry point: signs the page in (GET /dashboard/api/me), follows the area in the
// URL's hash (#area=ORG_ID; none: the account's own), asks the API for that area every CONFIG.pollMs
// and writes the answers onto the page in place. A 401 leads to the login page; a 403/404 shows the
// refusal instead of any figures; a network error shows a quiet banner and keeps the last figures.

import { ApiError, LOGIN_URL, NetworkError, getJson, logout } from "./api.js";
import { byId } from "./dom.js";
import { resizeCharts } from "./charts.js";
import { chooseLanguage, currentLanguage, formatClock, loadStrings, rememberLanguage, setLanguage, t, translatePage } from "./i18n.js";
import {
  renderAccount,
  renderBreadcrumb,
  renderCategories,
  renderChildren,
  renderFleet,
  renderOnSite,
  renderRankings,
  renderReview,
  renderToday,
} from "./views.js";

/** What the page can be tuned by. */
export const CONFIG = {
  pollMs: 5000, // how often today's figures, who is on site, the review list and the fleet are asked for
  slowEvery: 6, // the 30-day rankings and categories: every 6th poll (30 s)
  days: 30, // the period of the rankings and the categories
  maxNamesPerActivity: 60, // names listed under one activity; the rest are counted
};

const STRINGS_URL = "/dashboard/static/strings.json";

const state = {
  me: null,
  area: "", // the area shown ("" = the account's own), from the hash
  generation: 0, // bumped when the area changes: an answer for an older area is dropped
  polls: 0,
  timer: null,
  metric: "hours",
  view: "chart",
  data: {}, // the last answers: overview, onsite, review, fleet, rankings, categories
  lastSuccess: null, // a Date
  refusal: null, // "forbidden_area" | "unknown_area" while the area is refused
};

// Set once when the page loads: a test checks it survives the updates (the page is never reloaded).
window.dashboardLoadedAt = Date.now();

function areaFromHash() {
  return new URLSearchParams(window.location.hash.replace(/^#/, "")).get("area") || "";
}

function goToLogin() {
  window.location.assign(LOGIN_URL);
}

/** Ask the API for everything the area shows; `slow` includes the 30-day rankings and categories. */
async function fetchArea(area, slow) {
  const params = { area };
  const asked = {
    overview: getJson("overview", params),
    onsite: getJson("on-site", params),
    review: getJson("review", params),
    fleet: getJson("fleet", params),
  };
  if (slow) {
    asked.rankings = getJson("rankings", { area, days: CONFIG.days });
    asked.categories = getJson("categories", { area, days: CONFIG.days });
  }
  const names = Object.keys(asked);
  const answers = await Promise.all(Object.values(asked));
  return Object.fromEntries(names.map((name, i) => [name, answers[i]]));
}

/** One round: fetch, then write the page; schedules the next round. */
async function poll() {
  clearTimeout(state.timer);
  const generation = state.generation;
  const slow = state.polls % CONFIG.slowEvery === 0 || !state.data.rankings;
  try {
    const answers = await fetchArea(state.area, slow);
    if (generation !== state.generation) return; // the area changed meanwhile; its own round is running
    state.polls += 1;
    state.refusal = null;
    Object.assign(state.data, answers);
    state.lastSuccess = new Date();
    byId("offline").hidden = true;
    render();
  } catch (error) {
    if (generation !== state.generation) return;
    if (!handleError(error)) return;
  }
  state.timer = setTimeout(poll, CONFIG.pollMs);
}

/**
 * What a failed round does; false when polling stops: on the way to the login page (401), or for an area
 * refused (403, 404), which stays refused until the hash names another.
 */
function handleError(error) {
  if (error instanceof ApiError && error.status === 401) {
    goToLogin();
    return false;
  }
  if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
    state.refusal = error.code || (error.status === 403 ? "forbidden_area" : "unknown_area");
    state.data = {};
    render();
    return false;
  }
  const banner = byId("offline");
  banner.textContent = state.lastSuccess ? t("status.offline", { time: formatClock(state.lastSuccess) }) : t("status.offline_never");
  banner.hidden = false;
  if (!(error instanceof NetworkError)) console.error(error);
  return true;
}

/** Write the whole page from the state (after an answer, or in the other language). */
function render() {
  translatePage();
  renderAccount(state.me);
  byId("main").hidden = false;
  for (const button of document.querySelectorAll("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === currentLanguage()));
  for (const button of document.querySelectorAll("[data-metric]")) button.setAttribute("aria-pressed", String(button.dataset.metric === state.metric));
  for (const button of document.querySelectorAll("[data-view]")) button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  const refused = state.refusal !== null;
  byId("updated").textContent = refused ? "" : state.lastSuccess ? t("status.updated", { time: formatClock(state.lastSuccess) }) : t("status.loading");
  byId("refusal").hidden = !refused;
  byId("area-view").hidden = refused;
  if (refused) {
    byId("refusal-text").textContent = t(`refused.${state.refusal}`);
    renderBreadcrumb(state.me, null);
    return;
  }
  const { overview, onsite, review, fleet, rankings, categories } = state.data;
  renderBreadcrumb(state.me, overview || null);
  if (overview) {
    renderToday(overview.today);
    renderChildren(overview.children);
  }
  if (onsite) renderOnSite(onsite, CONFIG.maxNamesPerActivity);
  if (rankings) renderRankings(rankings, state.metric, state.view);
  if (categories) renderCategories(categories, CONFIG.days);
  if (review) renderReview(review);
  if (fleet) renderFleet(fleet, new Date());
}

/** A new area in the hash: show it from a fresh round (the old area's answers are dropped). */
function followHash() {
  state.area = areaFromHash();
  state.generation += 1;
  state.polls = 0;
  state.data = {};
  state.refusal = null;
  poll();
}

function wireControls() {
  window.addEventListener("hashchange", followHash);
  byId("children").addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-area]");
    if (!row || event.target.closest("a")) return; // a click on the link follows the link itself
    window.location.hash = `area=${encodeURIComponent(row.dataset.area)}`;
  });
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      setLanguage(button.dataset.lang);
      rememberLanguage(button.dataset.lang);
      const url = new URL(window.location.href);
      url.searchParams.delete("lang"); // the cookie now holds the choice; a stale ?lang= would override it
      window.history.replaceState(null, "", url);
      render();
    });
  }
  for (const button of document.querySelectorAll("[data-metric]")) {
    button.addEventListener("click", () => {
      state.metric = button.dataset.metric;
      render();
    });
  }
  for (const button of document.querySelectorAll("[data-view]")) {
    button.addEventListener("click", () => {
      state.view = button.dataset.view;
      render();
    });
  }
  byId("logout").addEventListener("click", async () => {
    try {
      await logout(state.me.csrf_token);
    } finally {
      goToLogin();
    }
  });
  window.addEventListener("resize", resizeCharts);
}

async function start() {
  await loadStrings(STRINGS_URL);
  setLanguage(chooseLanguage());
  translatePage();
  try {
    state.me = await getJson("me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      goToLogin();
      return;
    }
    handleError(error);
    setTimeout(start, CONFIG.pollMs);
    return;
  }
  wireControls();
  followHash();
}

start();
