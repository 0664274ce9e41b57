// The entity graph (GET /v1/graph) drawn as plain SVG with a small force layout, and the same relations as a list.
import { byId, el, formValues, onSubmit, svg, when } from "./dom.js";

const WIDTH = 900;
const HEIGHT = 560;
const MARGIN = 40;
const GRAVITY = 0.1;

export function graphView(ctx) {
  const form = byId("graph-form");
  const drawing = byId("graph-drawing");
  const list = byId("graph-relations");
  const summary = byId("graph-summary");

  async function show() {
    const graph = await ctx.call(() => ctx.api.get("/v1/graph", { ...formValues(form), user_id: ctx.user() }));
    if (!graph) return;
    const names = new Map(graph.entities.map((node) => [node.id, node.name]));
    const name = (id) => names.get(id) ?? id;
    const more = graph.truncated ? " (more left out: raise the limit or pick an entity)" : "";
    summary.textContent = `${graph.entities.length} entities, ${graph.relations.length} relations${more}`;
    drawing.replaceChildren(
      graph.entities.length ? draw(graph) : el("p", { className: "muted", text: "No entities yet." }),
    );
    list.replaceChildren(
      ...graph.relations.map((edge) =>
        el(
          "li",
          { className: edge.valid_to ? "ended" : "" },
          `${name(edge.subject)} — ${edge.predicate} → ${name(edge.object)}`,
          el("span", {
            className: "muted",
            text: ` since ${when(edge.valid_from)}${edge.valid_to ? `, until ${when(edge.valid_to)}` : ""}`,
          }),
        ),
      ),
    );
  }

  function draw(graph) {
    const at = layout(graph.entities, graph.relations);
    const top = Math.max(1, ...graph.entities.map((node) => node.mentions));
    const edges = graph.relations
      .filter((edge) => at.has(edge.subject) && at.has(edge.object))
      .map((edge) => {
        const [a, b] = [at.get(edge.subject), at.get(edge.object)];
        return svg(
          "g",
          { class: edge.valid_to ? "edge ended" : "edge" },
          svg("title", {}, edge.predicate),
          svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "marker-end": "url(#arrow)" }),
          svg("text", { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 4, "text-anchor": "middle" }, edge.predicate),
        );
      });
    const nodes = graph.entities.map((node) => {
      const p = at.get(node.id);
      const radius = 7 + 9 * Math.sqrt(node.mentions / top);
      const group = svg(
        "g",
        { class: `node type-${node.type.replace(/[^a-z]/g, "")}`, "data-id": node.id, tabindex: 0, role: "button" },
        svg("title", {}, `${node.name} (${node.type}), ${node.mentions} mention(s): click for its neighbourhood`),
        svg("circle", { cx: p.x, cy: p.y, r: radius }),
        svg("text", { x: p.x, y: p.y + radius + 12, "text-anchor": "middle" }, node.name),
      );
      const around = () => {
        form.elements.entity.value = node.id;
        show();
      };
      group.addEventListener("click", around);
      group.addEventListener("keydown", (event) => event.key === "Enter" && around());
      return group;
    });
    const arrow = svg(
      "marker",
      { id: "arrow", viewBox: "0 0 10 10", refX: 22, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" },
      svg("path", { d: "M0,0 L10,5 L0,10 z" }),
    );
    return svg(
      "svg",
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "graph", "aria-label": "entity graph" },
      svg("defs", {}, arrow),
      edges,
      nodes,
    );
  }

  onSubmit(form, () => show());

  return {
    show,
    reset() {
      form.reset();
      drawing.replaceChildren();
      list.replaceChildren();
      summary.textContent = "";
    },
  };
}

// Fruchterman–Reingold from a circle: deterministic (the same graph is drawn the same way), bounded work. A pull
// towards the centre, and no push between entities already far apart, keep the ones no relation holds near the rest
// rather than in the corners.
function layout(nodes, edges) {
  const count = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const pos = nodes.map((_, i) => ({
    x: WIDTH / 2 + (WIDTH / 3) * Math.cos((2 * Math.PI * i) / count),
    y: HEIGHT / 2 + (HEIGHT / 3) * Math.sin((2 * Math.PI * i) / count),
  }));
  const links = edges
    .filter((e) => index.has(e.subject) && index.has(e.object))
    .map((e) => [index.get(e.subject), index.get(e.object)]);
  const k = 0.6 * Math.sqrt((WIDTH * HEIGHT) / Math.max(1, count));
  const rounds = count > 200 ? 60 : 250;
  for (let round = 0; round < rounds; round++) {
    const move = pos.map((p) => ({ x: GRAVITY * (WIDTH / 2 - p.x), y: GRAVITY * (HEIGHT / 2 - p.y) }));
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        const dx = pos[i].x - pos[j].x || 0.01;
        const dy = pos[i].y - pos[j].y;
        const d = Math.max(0.01, Math.hypot(dx, dy));
        if (d > 2.5 * k) continue; // far apart already: only the pull to the centre acts
        const f = (k * k) / d;
        move[i].x += (dx / d) * f;
        move[i].y += (dy / d) * f;
        move[j].x -= (dx / d) * f;
        move[j].y -= (dy / d) * f;
      }
    }
    for (const [a, b] of links) {
      const dx = pos[a].x - pos[b].x;
      const dy = pos[a].y - pos[b].y;
      const d = Math.max(0.01, Math.hypot(dx, dy));
      const f = (d * d) / k;
      move[a].x -= (dx / d) * f;
      move[a].y -= (dy / d) * f;
      move[b].x += (dx / d) * f;
      move[b].y += (dy / d) * f;
    }
    const limit = (WIDTH / 8) * (1 - round / rounds) + 1;
    pos.forEach((p, i) => {
      const d = Math.max(0.01, Math.hypot(move[i].x, move[i].y));
      p.x = Math.min(WIDTH - MARGIN, Math.max(MARGIN, p.x + (move[i].x / d) * Math.min(d, limit)));
      p.y = Math.min(HEIGHT - MARGIN, Math.max(MARGIN, p.y + (move[i].y / d) * Math.min(d, limit)));
    });
  }
  const placed = fit(pos);
  return new Map(nodes.map((node, i) => [node.id, placed[i]]));
}

// Centres the drawing and scales it to fill the frame (at most 1.5 times: a small graph stays small).
function fit(pos) {
  const xs = pos.map((p) => p.x);
  const ys = pos.map((p) => p.y);
  const [left, top] = [Math.min(...xs), Math.min(...ys)];
  const [wide, high] = [Math.max(...xs) - left, Math.max(...ys) - top];
  const scale = Math.min(1.5, (WIDTH - 2 * MARGIN) / Math.max(1, wide), (HEIGHT - 2 * MARGIN) / Math.max(1, high));
  return pos.map((p) => ({
    x: WIDTH / 2 + (p.x - left - wide / 2) * scale,
    y: HEIGHT / 2 + (p.y - top - high / 2) * scale,
  }));
}
