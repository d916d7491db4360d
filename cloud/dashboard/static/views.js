// Writing the API's answers onto the page, one function per part: each replaces what its part showed, so
// a new answer updates the page in place. Texts come from i18n.js; names and titles are text nodes.

import { byId, el, table } from "./dom.js";
import { chartsAvailable, drawCategories, drawRanking } from "./charts.js";
import {
  formatAgo,
  formatCount,
  formatDateTime,
  formatHours,
  formatSignedDecimal,
  formatTimeOfDay,
  t,
  tOr,
} from "./i18n.js";

/** The hash of an area's view ("" is the account's own area). */
export function areaHash(orgId) {
  return orgId ? `#area=${encodeURIComponent(orgId)}` : "#";
}

/** The signed-in account in the header: user, role and area. */
export function renderAccount(me) {
  byId("account-user").textContent = me.username;
  byId("account-role").textContent = tOr(`role.${me.role}`, me.role);
  byId("account-area").textContent = me.area ? me.area.name : t("area.all");
}

/**
 * The breadcrumb of the drill-down: the areas from the top of the path down to the one shown. Areas above
 * the account's own are plain text (it may not open them); the others are links back up.
 */
export function renderBreadcrumb(me, overview) {
  const crumbs = [];
  const path = overview ? overview.path : [];
  const ownIndex = me.area ? path.findIndex((step) => step.org_id === me.area.org_id) : -1;
  if (!me.area) crumbs.push({ name: t("area.all"), hash: "#", link: path.length > 0 });
  path.forEach((step, index) => {
    const reachable = !me.area || index >= ownIndex;
    crumbs.push({ name: step.name, hash: areaHash(step.org_id), link: reachable && index < path.length - 1 });
  });
  const items = crumbs.map((crumb, index) => {
    const last = index === crumbs.length - 1;
    const content = crumb.link ? el("a", { href: crumb.hash }, crumb.name) : el("span", { "aria-current": last ? "page" : null }, crumb.name);
    return el("li", {}, content);
  });
  byId("breadcrumb").replaceChildren(el("ol", {}, ...items));
}

/** Today's five figures, large. */
export function renderToday(today) {
  byId("today-date").textContent = today.date || "";
  byId("fig-check_ins").textContent = formatCount(today.check_ins);
  byId("fig-check_outs").textContent = formatCount(today.check_outs);
  byId("fig-hours").textContent = formatHours(today.hours);
  byId("fig-on_site").textContent = formatCount(today.on_site);
  byId("fig-volunteers").textContent = formatCount(today.volunteers);
}

/** The next level down as rows to tap; each row opens its area (the row's data-area, the name's link). */
export function renderChildren(children) {
  const box = byId("children");
  if (children.length === 0) {
    box.replaceChildren(el("p", { class: "muted" }, t("children.none")));
    return;
  }
  const columns = [
    { label: t("children.name") },
    { label: t("children.visits"), numeric: true },
    { label: t("children.hours"), numeric: true },
    { label: t("children.volunteers"), numeric: true },
    { label: t("children.on_site"), numeric: true },
  ];
  const rows = table(
    columns,
    children,
    (child) => [
      el(
        "a",
        { href: areaHash(child.org_id), "aria-label": t("children.open", { name: child.name }) },
        el("span", { class: "area-name" }, child.name),
        el("span", { class: "level" }, tOr(`level.${child.level}`, child.level)),
      ),
      formatCount(child.visits),
      formatHours(child.hours),
      formatCount(child.volunteers),
      formatCount(child.on_site),
    ],
    (child) => ({ class: "drill", "data-area": child.org_id }),
  );
  rows.classList.add("children-table");
  box.replaceChildren(rows);
}

/** The activities running now, each with the people on site (names as the API gives them). */
export function renderOnSite(onSite, maxNames) {
  const box = byId("onsite");
  if (onSite.activities.length === 0) {
    box.replaceChildren(el("p", { class: "muted" }, t("onsite.none")));
    return;
  }
  const cards = onSite.activities.map((activity) => {
    const people = activity.on_site;
    const shown = people.slice(0, maxNames).map((person) =>
      el("li", {}, el("span", { class: "person" }, person.name), " ", el("span", { class: "since" }, t("onsite.since", { time: formatTimeOfDay(person.since_utc) }))),
    );
    if (people.length > maxNames) shown.push(el("li", { class: "more" }, t("onsite.more", { count: formatCount(people.length - maxNames) })));
    const when = `${formatTimeOfDay(activity.starts_at)}–${formatTimeOfDay(activity.ends_at)}`;
    return el(
      "article",
      { class: "activity", "data-activity": activity.activity_id },
      el("div", { class: "activity-head" }, el("h3", {}, activity.title), el("span", { class: "badge good" }, t("onsite.count", { count: formatCount(people.length) }))),
      el("p", { class: "muted" }, [activity.venue, activity.org_name, when].filter(Boolean).join(" · ")),
      people.length ? el("ul", { class: "names" }, ...shown) : el("p", { class: "muted" }, t("onsite.nobody")),
    );
  });
  box.replaceChildren(...cards);
}

/** The rankings of areas and organisations by `metric`, as bar charts or as tables (`view`). */
export function renderRankings(rankings, metric, view) {
  byId("rankings-title").textContent = t("rankings.title", { days: rankings.days });
  const format = metric === "hours" ? formatHours : formatCount;
  const label = t(`metric.${metric}`);
  const parts = [
    [rankings.areas, "rank-areas"],
    [rankings.organisations, "rank-orgs"],
  ];
  for (const [rows, id] of parts) {
    const sorted = [...rows].sort((a, b) => b[metric] - a[metric]);
    const chartBox = byId(`${id}-chart`);
    const tableBox = byId(`${id}-table`);
    const asChart = view === "chart" && chartsAvailable() && sorted.length > 0;
    chartBox.hidden = !asChart;
    tableBox.hidden = asChart;
    if (asChart) {
      drawRanking(chartBox, sorted, metric, label, format);
    } else if (sorted.length === 0) {
      tableBox.replaceChildren(el("p", { class: "muted" }, t("rankings.none")));
    } else {
      const columns = [{ label: t("rankings.rank"), numeric: true }, { label: t("rankings.name") }, { label, numeric: true }];
      tableBox.replaceChildren(table(columns, sorted.map((row, i) => [i + 1, row]), ([rank, row]) => [rank, row.name, format(row[metric])]));
    }
  }
}

/** Hours by category per day as a stacked bar chart (or a note when there are none). */
export function renderCategories(categories, days) {
  byId("categories-title").textContent = t("categories.title", { days });
  const chartBox = byId("categories-chart");
  const empty = categories.series.length === 0 || !chartsAvailable();
  chartBox.hidden = empty;
  byId("categories-none").hidden = !empty;
  if (!empty) drawCategories(chartBox, categories);
}

function reasonWords(reasons) {
  return reasons.map((reason) => tOr(`reason.${reason}`, reason)).join(t("list.separator"));
}

/** One presence signal of a visit in words: the other visit's place, kiosk and times, or the pass's date. */
function signalWords(visit, signal) {
  if (signal.signal === "card_after_pass") return t("signal.card_after_pass", { time: formatDateTime(signal.pass_since_utc) });
  const other = signal.other || {};
  const values = {
    venue: other.venue || t("signal.unknown_venue"),
    title: other.title || other.activity_id || "",
    kiosk: other.kiosk_id || "",
    from: formatDateTime(other.check_in_utc),
    when: other.check_out_utc
      ? t("signal.span", { from: formatDateTime(other.check_in_utc), until: formatTimeOfDay(other.check_out_utc) })
      : t("signal.open_since", { from: formatDateTime(other.check_in_utc) }),
  };
  if (signal.signal === "two_places") return t("signal.two_places", values);
  if (signal.signal === "same_credential_seconds") {
    const seconds = Math.round(Math.abs(new Date(other.check_in_utc) - new Date(visit.check_in_utc)) / 1000);
    return t("signal.same_credential_seconds", { ...values, seconds });
  }
  return null; // a signal this page does not know yet: its reason is listed all the same
}

/** The reasons of a visit in words, then each presence signal's details on a line of its own. */
function reasonCell(visit) {
  const details = (visit.signals || []).map((signal) => signalWords(visit, signal)).filter((words) => words);
  if (details.length === 0) return reasonWords(visit.reasons);
  return el("div", {}, el("div", {}, reasonWords(visit.reasons)), ...details.map((words) => el("div", { class: "signal-detail" }, words)));
}

/** The visits needing a look. */
export function renderReview(review) {
  const box = byId("review");
  if (review.visits.length === 0) {
    box.replaceChildren(el("p", { class: "muted" }, t("review.none")));
    return;
  }
  const columns = [
    { label: t("review.name") },
    { label: t("review.activity") },
    { label: t("review.date") },
    { label: t("review.check_in") },
    { label: t("review.check_out") },
    { label: t("review.reasons") },
  ];
  box.replaceChildren(
    table(columns, review.visits, (visit) => [
      visit.name,
      visit.title || visit.activity_id,
      visit.service_date,
      formatDateTime(visit.check_in_utc),
      visit.check_out_utc ? formatDateTime(visit.check_out_utc) : el("span", { class: "warn-text" }, t("review.not_out")),
      reasonCell(visit),
    ]),
  );
}

function missingRanges(missing) {
  if (!missing || missing.length === 0) return t("fleet.unknown");
  return missing.map((range) => (range.first_seq === range.last_seq ? `${range.first_seq}` : `${range.first_seq}–${range.last_seq}`)).join(", ");
}

function clockOffset(seconds) {
  if (seconds === null || seconds === undefined) return t("fleet.unknown");
  return t("fleet.seconds", { value: formatSignedDecimal(seconds) });
}

function selfTest(kiosk) {
  if (!kiosk.self_test) return t("fleet.unknown");
  return el("span", { class: `state state-${kiosk.self_test}` }, tOr(`self_test.${kiosk.self_test}`, kiosk.self_test));
}

/** The kiosks of the area; a silent one is flagged in red and with the word. */
export function renderFleet(fleet, now) {
  byId("fleet-note").textContent = t("fleet.silent_note", { minutes: formatCount(fleet.silent_after_min) });
  // silent_total counts every kiosk of the area; the list holds the first 500 (silent first).
  const silent = fleet.silent_total ?? fleet.kiosks.filter((kiosk) => kiosk.silent).length;
  const badge = byId("fleet-silent-count");
  badge.hidden = silent === 0;
  badge.textContent = t("fleet.silent_count", { count: formatCount(silent) });
  const box = byId("fleet");
  if (fleet.kiosks.length === 0) {
    box.replaceChildren(el("p", { class: "muted" }, t("fleet.none")));
    return;
  }
  const columns = [
    { label: t("fleet.kiosk") },
    { label: t("fleet.area") },
    { label: t("fleet.version") },
    { label: t("fleet.last_seen") },
    { label: t("fleet.waiting"), numeric: true },
    { label: t("fleet.clock"), numeric: true },
    { label: t("fleet.missing") },
    { label: t("fleet.self_test") },
  ];
  box.replaceChildren(
    table(
      columns,
      fleet.kiosks,
      (kiosk) => [
        kiosk.device_id,
        kiosk.area_name || kiosk.area_id, // the organisation's name when the API gives it
        kiosk.app_version || t("fleet.unknown"),
        el(
          "span",
          {},
          kiosk.silent ? el("span", { class: "badge bad" }, `⚠ ${t("fleet.silent")}`) : null,
          kiosk.silent ? " " : null,
          kiosk.last_seen_utc ? el("time", { datetime: kiosk.last_seen_utc }, formatAgo(kiosk.last_seen_utc, now)) : t("fleet.never"),
        ),
        kiosk.waiting === null || kiosk.waiting === undefined ? t("fleet.unknown") : formatCount(kiosk.waiting),
        clockOffset(kiosk.clock_offset_s),
        missingRanges(kiosk.missing),
        selfTest(kiosk),
      ],
      (kiosk) => ({ class: kiosk.silent ? "silent" : null, "data-kiosk": kiosk.device_id }),
    ),
  );
}
