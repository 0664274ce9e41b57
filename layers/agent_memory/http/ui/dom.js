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

// A search highlight: the API wraps each matched word, or run of words, in `**`. A marker always hugs word
// characters, so `**` that content itself holds (markdown bold) stays text:
// "****bold****" is "**", <mark>bold</mark>, "**".
const MARKED = /\*\*([\p{L}\p{N}\p{M}_](?:[\p{L}\p{N}\p{M}_\s]*[\p{L}\p{N}\p{M}_])?)\*\*/gu;

export function highlighted(snippet) {
  const text = String(snippet);
  const fragment = document.createDocumentFragment();
  let cursor = 0;
  for (const match of text.matchAll(MARKED)) {
    fragment.append(text.slice(cursor, match.index), el("mark", { text: match[1] }));
    cursor = match.index + match[0].length;
  }
  fragment.append(text.slice(cursor));
  return fragment;
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
