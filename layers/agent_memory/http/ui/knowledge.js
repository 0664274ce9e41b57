// The clusters and topics view: how the user's memories group (GET /v1/clusters) and the labels they carry
// (GET /v1/topics); either one opens the matching memories in the memories view.
import { bars } from "./charts.js";
import { byId, el, formValues, onSubmit } from "./dom.js";

export function clustersView(ctx) {
  const form = byId("clusters-form");
  const clusters = byId("clusters-list");
  const topics = byId("topics-list");

  async function show() {
    const user = ctx.user();
    const found = await ctx.call(() =>
      Promise.all([
        ctx.api.get("/v1/clusters", { ...formValues(form), user_id: user }),
        ctx.api.get("/v1/topics", { user_id: user }),
      ]),
    );
    if (!found) return;
    const [grouped, labels] = found;
    clusters.replaceChildren(...grouped.clusters.map(cluster));
    if (!grouped.clusters.length)
      clusters.replaceChildren(el("p", { className: "muted", text: "No memories to group." }));
    const pairs = labels.topics.map((topic) => [topic.label, topic.count]);
    topics.replaceChildren(
      bars("Memories per topic", pairs),
      el(
        "ul",
        { className: "topics" },
        labels.topics.map((topic) =>
          el(
            "li",
            {},
            el("button", {
              className: "link",
              text: topic.label,
              on: { click: () => ctx.showMemories({ topic: topic.label }) },
            }),
            ` ${topic.count}`,
          ),
        ),
      ),
    );
  }

  function cluster(group) {
    return el(
      "div",
      { className: "card cluster", data: { id: group.id } },
      el("h3", { text: `${group.label} (${group.size})` }),
      el(
        "ul",
        {},
        group.samples.map((memory) =>
          el(
            "li",
            {},
            el("button", { className: "link", text: memory.content, on: { click: () => ctx.openMemory(memory.id) } }),
          ),
        ),
      ),
      el("button", {
        className: "secondary small",
        text: "List its memories",
        on: { click: () => ctx.showMemories({ cluster_id: group.id }) },
      }),
    );
  }

  onSubmit(form, () => show());

  return {
    show,
    reset() {
      clusters.replaceChildren();
      topics.replaceChildren();
    },
  };
}
