// Building the page from data without ever parsing it as HTML: every string becomes a text node or an attribute.
export function el(tag, props = {}, ...children) {
  return fill(document.createElement(tag), props, children);
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), { attrs }, children);
}

// Replaces a node's children; null, undefined and false stand for "nothing here" (replaceChildren would print them).
export function put(node, ...children) {
  node.replaceChildren(
    ...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false),
  );
  return node;
}

function fill(node, props, children) {
  const { className, text, attrs = {}, on = {}, data = {} } = props;
  if (className) node.setAttribute("class", className);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "style" || name.startsWith("on")) throw new Error(`refusing attribute ${name}`);
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const [name, value] of Object.entries(data)) node.dataset[name] = String(value);
  for (const [event, handler] of Object.entries(on)) node.addEventListener(event, handler);
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A search hit's matched words, from the API's `matches`: [start, end) offsets into the content in code points
// (so `**` the content holds itself is only text). Long content shows up to two windows around the first matches.
const WINDOW = 160;

export function marked(content, matches) {
  const chars = Array.from(String(content));
  const spans = (Array.isArray(matches) ? matches : []).filter(
    (span) =>
      Array.isArray(span) && Number.isInteger(span[0]) && Number.isInteger(span[1]) &&
      span[0] >= 0 && span[0] < span[1] && span[1] <= chars.length,
  );
  const windows = [];
  if (chars.length <= 2 * WINDOW || spans.length === 0) windows.push([0, Math.min(chars.length, 2 * WINDOW)]);
  for (const [first] of chars.length > 2 * WINDOW ? spans : []) {
    const last = windows[windows.length - 1];
    if (windows.length === 2 || (last && first < last[1])) continue;
    const start = Math.max(0, first - Math.floor(WINDOW / 3));
    windows.push([start, Math.min(chars.length, start + WINDOW)]);
  }
  return windows.map(([start, end]) => {
    const fragment = document.createDocumentFragment();
    let cursor = start;
    fragment.append(start > 0 ? "…" : "");
    for (const [from, to] of spans) {
      if (from < start || to > end) continue;
      fragment.append(chars.slice(cursor, from).join(""), el("mark", { text: chars.slice(from, to).join("") }));
      cursor = to;
    }
    fragment.append(chars.slice(cursor, end).join(""), end < chars.length ? "…" : "");
    return fragment;
  });
}

export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? String(iso)
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function byId(id) {
  return document.getElementById(id);
}

// A form handled here, not sent by the browser (the page's CSP has form-action 'none').
export function onSubmit(form, handler) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handler();
  });
}

// A form's filled-in fields (trimmed, empty ones left out); checkboxes count only when ticked.
export function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) {
    const text = String(value).trim();
    if (text) values[name] = text;
  }
  return values;
}

// A date input's day as the start (or end) of that day in UTC, the ISO 8601 the API's filters take.
export function dayBound(day, end = false) {
  return day ? `${day}T${end ? "23:59:59.999" : "00:00:00"}Z` : undefined;
}

export function tags(labels, className = "tag") {
  return (labels || []).map((label) => el("span", { className, text: label }));
}
