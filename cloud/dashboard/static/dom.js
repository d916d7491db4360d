// Building the page's elements from data without innerHTML: every text the API sends (names, titles)
// becomes a text node, so nothing it holds can run as markup.

/**
 * A new element: el("td", {class: "num", "data-label": "…"}, child, "text", …).
 * Attributes whose value is null, undefined or false are left out; children may be strings, numbers,
 * elements, or null (skipped).
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** The element of an ID, which the page must have. */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

/**
 * A table of rows: columns is [{key, label, numeric}], cells(row) gives one cell's content per column.
 * Each cell carries its column's label in data-label, which the phone layout shows beside the value.
 */
export function table(columns, rows, cells, rowAttributes = () => ({})) {
  const head = el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", { scope: "col", class: c.numeric ? "num" : null }, c.label))));
  const body = el("tbody");
  for (const row of rows) {
    const values = cells(row);
    body.append(
      el(
        "tr",
        rowAttributes(row),
        ...columns.map((c, i) => el("td", { class: c.numeric ? "num" : null, "data-label": c.label }, values[i])),
      ),
    );
  }
  return el("table", { class: "data" }, head, body);
}
