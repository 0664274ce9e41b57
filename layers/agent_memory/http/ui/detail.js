// One memory beside the current view: its fields, what it states, its history and its nearest memories.
import { byId, el, put, tags, when } from "./dom.js";

export function detailPanel(ctx) {
  const panel = byId("detail");
  let shown = null;

  async function open(id) {
    const user = { user_id: ctx.user() };
    const path = `/v1/memories/${encodeURIComponent(id)}`;
    const found = await ctx.call(() =>
      Promise.all([
        ctx.api.get(path, user),
        ctx.api.get(`${path}/history`, user),
        ctx.api.get(`${path}/related`, { ...user, limit: 5 }),
      ]),
    );
    if (!found) return;
    const [memory, history, related] = found;
    shown = memory.id;
    put(
      panel,
      el(
        "div",
        { className: "panel-head" },
        el("h2", { text: "Memory" }),
        el("button", { className: "secondary small", text: "Close", on: { click: close } }),
      ),
      el("p", { className: "content", text: memory.content }),
      memory.summary ? el("p", { className: "muted", text: memory.summary }) : null,
      fields(memory),
      el("div", {}, tags(memory.topics)),
      memory.relations.length ? el("h3", { text: "States" }) : null,
      el(
        "ul",
        {},
        memory.relations.map((r) => el("li", { text: `${r.subject.name} — ${r.predicate} → ${r.object.name}` })),
      ),
      el("h3", { text: "History" }),
      el("ol", { className: "history" }, history.entries.map(entry)),
      related.results.length ? el("h3", { text: "Related" }) : null,
      el(
        "ul",
        {},
        related.results.map((hit) =>
          el(
            "li",
            {},
            el("button", { className: "link", text: hit.memory.content, on: { click: () => open(hit.memory.id) } }),
          ),
        ),
      ),
      Object.keys(memory.metadata).length ? el("h3", { text: "Metadata" }) : null,
      Object.keys(memory.metadata).length ? el("pre", { text: JSON.stringify(memory.metadata, null, 2) }) : null,
      el("button", { className: "danger", text: "Delete this memory", on: { click: () => ctx.deleteMemory(memory) } }),
    );
    panel.hidden = false;
  }

  function fields(memory) {
    const rows = [
      ["id", memory.id],
      ["created", when(memory.created_at)],
      ["updated", when(memory.updated_at)],
      ["version", memory.version],
      ["source", memory.source],
      ["agent", memory.agent_id],
      ["thread", memory.thread_id],
      ["importance", memory.importance],
      ["valence", memory.valence],
      ["recalled", `${memory.access_count} times`],
      ["expires", when(memory.expires_at)],
      ["superseded by", memory.superseded_by],
      ["entities", memory.entities.map((e) => `${e.name} (${e.type})`).join(", ")],
    ].filter(([, value]) => value !== null && value !== undefined && value !== "");
    return el(
      "dl",
      { className: "fields" },
      rows.map(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]),
    );
  }

  function entry(item) {
    return el(
      "li",
      { className: `event-${item.event}` },
      el("strong", { text: `v${item.version} ${item.event}` }),
      ` ${when(item.at)}`,
      item.changed_fields.length
        ? el("span", { className: "muted", text: ` (${item.changed_fields.join(", ")})` })
        : null,
      el("div", { text: item.content }),
      item.previous_content !== null ? el("del", { text: item.previous_content }) : null,
    );
  }

  function close() {
    shown = null;
    panel.hidden = true;
    panel.replaceChildren();
  }

  return { open, close, showing: (id) => shown === id };
}
