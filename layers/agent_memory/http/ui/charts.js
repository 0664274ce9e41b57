// Small SVG charts (sizes as attributes, so nothing needs an inline style under the page's CSP).
import { el, svg } from "./dom.js";

const LABEL = 150;
const WIDTH = 480;
const ROW = 22;

function shorten(text, most = 22) {
  return text.length > most ? `${text.slice(0, most - 1)}…` : text;
}

// Horizontal bars, one per [label, value], largest first.
export function bars(title, entries) {
  const rows = [...entries].sort((a, b) => b[1] - a[1]);
  const top = Math.max(1, ...rows.map(([, value]) => value));
  const height = Math.max(1, rows.length) * ROW;
  const drawing = svg(
    "svg",
    { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img", "aria-label": title, class: "chart" },
    rows.map(([label, value], index) => {
      const y = index * ROW;
      const width = Math.max(1, ((WIDTH - LABEL - 50) * value) / top);
      return svg(
        "g",
        { class: "bar" },
        svg("title", {}, `${label}: ${value}`),
        svg("text", { x: LABEL - 6, y: y + 15, "text-anchor": "end" }, shorten(label)),
        svg("rect", { x: LABEL, y: y + 3, width, height: ROW - 6, rx: 3 }),
        svg("text", { x: LABEL + width + 6, y: y + 15, class: "value" }, String(value)),
      );
    }),
  );
  return figure(title, rows.length ? drawing : el("p", { className: "muted", text: "nothing yet" }));
}

// Vertical columns in the given order (a histogram).
export function columns(title, labels, values) {
  const height = 160;
  const step = WIDTH / Math.max(1, values.length);
  const top = Math.max(1, ...values);
  const drawing = svg(
    "svg",
    {
      viewBox: `0 0 ${WIDTH} ${height + 36}`,
      width: WIDTH,
      height: height + 36,
      role: "img",
      "aria-label": title,
      class: "chart",
    },
    values.map((value, index) => {
      const h = (height * value) / top;
      const x = index * step;
      return svg(
        "g",
        { class: "bar" },
        svg("title", {}, `${labels[index]}: ${value}`),
        svg("rect", { x: x + 4, y: height - h + 14, width: step - 8, height: Math.max(h, value ? 1 : 0), rx: 2 }),
        svg(
          "text",
          { x: x + step / 2, y: height - h + 10, "text-anchor": "middle", class: "value" },
          value ? String(value) : "",
        ),
        svg("text", { x: x + step / 2, y: height + 30, "text-anchor": "middle" }, labels[index]),
      );
    }),
  );
  return figure(title, drawing);
}

function figure(title, body) {
  return el("figure", { className: "card chart-card" }, el("figcaption", { text: title }), body);
}
