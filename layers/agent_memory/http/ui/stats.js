// The stats view: GET /v1/stats for the user, as key figures and bar charts.
import { bars, columns } from "./charts.js";
import { byId, el } from "./dom.js";

const BUCKETS = ["0", ".1", ".2", ".3", ".4", ".5", ".6", ".7", ".8", ".9"];

export function statsView(ctx) {
  const figures = byId("stats-figures");
  const charts = byId("stats-charts");

  async function show() {
    const stats = await ctx.call(() => ctx.api.get("/v1/stats", { user_id: ctx.user() }));
    if (!stats) return;
    const feedback = stats.recall_feedback;
    figures.replaceChildren(
      figure("memories", stats.total_memories),
      figure("estimated tokens", stats.estimated_tokens),
      figure("average importance", number(stats.average_importance)),
      figure("average valence", number(stats.average_valence)),
      figure("entities", stats.total_entities ?? "–"),
      figure("relations", stats.total_relations ?? "–"),
      figure("recalls", feedback.total_recalls),
      figure("usage rate", feedback.usage_rate === null ? "–" : `${Math.round(feedback.usage_rate * 100)} %`),
    );
    const agents = Object.entries(stats.by_agent).map(([agent, count]) => [agent || "(no agent)", count]);
    charts.replaceChildren(
      columns("Importance", BUCKETS, stats.importance_histogram),
      bars("By source", Object.entries(stats.by_source)),
      bars("By topic", Object.entries(stats.by_topic)),
      bars("By agent", agents),
      bars("Entities by type", Object.entries(stats.entity_type_distribution || {})),
    );
  }

  return {
    show,
    reset() {
      figures.replaceChildren();
      charts.replaceChildren();
    },
  };
}

function figure(label, value) {
  return el("div", { className: "figure card" }, el("strong", { text: value }), el("span", { text: label }));
}

function number(value) {
  return value === null || value === undefined ? "–" : value.toFixed(2);
}
