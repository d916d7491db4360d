// The page's two charts, drawn with ECharts (echarts/echarts.min.js, loaded before this module as the
// global `echarts`): the rankings as horizontal bars and the hours by category as stacked bars per day.
// Each chart follows its box's size (a ResizeObserver), so the phone layout and a turned tablet redraw.

import { formatHours } from "./i18n.js";

/** The design system's colours (docs/design-system.md), one per series. */
const PALETTE = ["#0B57D0", "#1B5E20", "#A14000", "#6A1B9A", "#00838F", "#B3261E", "#5D4037", "#AD1457", "#455A64", "#827717"];
/** A ranking's height per bar and around them, in px: ten bars fill the box, two do not float in it. */
const BAR_ROW_PX = 36;
const BAR_CHROME_PX = 48;
const TEXT = "#202124";
const MUTED = "#52575D";
const RULE = "#E8EAED";

const charts = new Map(); // container -> {chart, redraw}: the last drawing, redone when the box's size changes

/** True when ECharts loaded (the page falls back to tables without it). */
export function chartsAvailable() {
  return typeof window.echarts === "object" && window.echarts !== null;
}

function sizeOf(container) {
  return `${container.clientWidth}x${container.clientHeight}`;
}

/** Draw with `redraw` (chart => void) into `container` now and again whenever its size changes. */
function drawInto(container, redraw) {
  let entry = charts.get(container);
  if (!entry) {
    entry = { chart: window.echarts.init(container, null, { renderer: "canvas" }), redraw, size: "" };
    charts.set(container, entry);
    new ResizeObserver(() => {
      if (container.clientWidth === 0 || sizeOf(container) === entry.size) return;
      entry.size = sizeOf(container);
      entry.chart.resize();
      entry.redraw(entry.chart);
    }).observe(container);
  }
  entry.redraw = redraw;
  if (sizeOf(container) !== entry.size) {
    entry.size = sizeOf(container);
    entry.chart.resize(); // the box changed (a ranking's height follows its rows) before the observer says so
  }
  redraw(entry.chart);
}

/** The page's own typeface (Noto Sans CJK where installed), so the charts' words match the tables'. */
function fontFamily() {
  return getComputedStyle(document.body).fontFamily;
}

/** Type sizes for the chart's width: readable from a distance on a wall screen, still fitting a phone. */
function typeSize(container) {
  return narrow(container) ? 13 : 16;
}

function narrow(container) {
  return container.clientWidth < 500;
}

/**
 * Draw `rows` ([{name, <metric>}]) as horizontal bars, the first at the top; `label` names the metric and
 * `format` writes one value.
 */
export function drawRanking(container, rows, metric, label, format) {
  container.style.height = `${rows.length * BAR_ROW_PX + BAR_CHROME_PX}px`;
  drawInto(container, (chart) => drawRankingNow(chart, container, rows, metric, label, format));
}

function drawRankingNow(chart, container, rows, metric, label, format) {
  const size = typeSize(container);
  const names = rows.map((row) => row.name);
  chart.setOption(
    {
      animationDuration: 300,
      textStyle: { fontFamily: fontFamily() },
      color: [PALETTE[0]],
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: format },
      xAxis: {
        type: "value",
        splitNumber: narrow(container) ? 2 : 5,
        axisLabel: { color: MUTED, fontSize: size - 2, hideOverlap: true },
        splitLine: { lineStyle: { color: RULE } },
      },
      yAxis: {
        type: "category",
        inverse: true,
        data: names,
        axisLabel: { color: TEXT, fontSize: size, width: narrow(container) ? 110 : 220, overflow: "truncate" },
        axisTick: { show: false },
      },
      series: [
        {
          name: label,
          type: "bar",
          data: rows.map((row) => row[metric]),
          barMaxWidth: 28,
          label: { show: true, position: "right", color: TEXT, fontSize: size - 1, formatter: (p) => format(p.value) },
        },
      ],
    },
    { replaceMerge: ["series"] },
  );
}

/** Draw the hours of each category per day ({dates, series: [{category, hours}]}) as stacked bars. */
export function drawCategories(container, data) {
  drawInto(container, (chart) => drawCategoriesNow(chart, container, data));
}

function drawCategoriesNow(chart, container, data) {
  const size = typeSize(container);
  const dates = data.dates.map((date) => date.slice(5).replace("-", "/"));
  chart.setOption(
    {
      animationDuration: 300,
      textStyle: { fontFamily: fontFamily() },
      color: PALETTE,
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0, textStyle: { color: TEXT, fontSize: size }, itemWidth: 20, itemHeight: 14 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: formatHours },
      xAxis: { type: "category", data: dates, axisLabel: { color: MUTED, fontSize: size - 2 } },
      yAxis: { type: "value", axisLabel: { color: MUTED, fontSize: size - 2 }, splitLine: { lineStyle: { color: RULE } } },
      series: data.series.map((one) => ({ name: one.category, type: "bar", stack: "hours", data: one.hours, barMaxWidth: 32 })),
    },
    { replaceMerge: ["series"] },
  );
}

/** Redraw every chart at its box's current size (after the page's layout changed). */
export function resizeCharts() {
  for (const entry of charts.values()) entry.chart.resize();
}
