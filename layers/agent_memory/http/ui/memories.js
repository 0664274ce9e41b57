// The memories view: a user's memories with every filter GET /v1/memories offers, paged with its cursor.
import { byId, dayBound, el, formValues, onSubmit, tags, when } from "./dom.js";

export function memoriesView(ctx) {
  const form = byId("memories-filter");
  const list = byId("memories-list");
  const summary = byId("memories-summary");
  const previous = byId("memories-prev");
  const next = byId("memories-next");
  let pages = [null]; // the cursor of each page shown so far; the last one is the current page
  let nextCursor = null;

  function params() {
    const values = formValues(form);
    return {
      ...values,
      user_id: ctx.user(),
      created_after: dayBound(values.created_after),
      created_before: dayBound(values.created_before, true),
      cursor: pages[pages.length - 1],
    };
  }

  async function load() {
    const page = await ctx.call(() => ctx.api.get("/v1/memories", params()));
    if (!page) return;
    nextCursor = page.next_cursor;
    const first = (pages.length - 1) * page.limit;
    summary.textContent = page.total
      ? `Memories ${first + 1}–${first + page.items.length} of ${page.total}`
      : "No memories match.";
    list.replaceChildren(page.items.length ? table(page.items) : "");
    previous.disabled = pages.length < 2;
    next.disabled = !nextCursor;
  }

  function table(items) {
    const head = el(
      "tr",
      {},
      ["Created", "Content", "Topics", "Agent", "Source", "Importance", ""].map((h) => el("th", { text: h })),
    );
    const rows = items.map((memory) =>
      el(
        "tr",
        { data: { id: memory.id }, className: memory.superseded_by ? "superseded" : "" },
        el("td", { text: when(memory.created_at) }),
        el(
          "td",
          {},
          el("button", { className: "link", text: memory.content, on: { click: () => ctx.openMemory(memory.id) } }),
        ),
        el("td", {}, tags(memory.topics)),
        el("td", { text: memory.agent_id || "" }),
        el("td", { text: memory.source }),
        el("td", { text: memory.importance.toFixed(2) }),
        el(
          "td",
          {},
          el("button", { className: "danger small", text: "Delete", on: { click: () => ctx.deleteMemory(memory) } }),
        ),
      ),
    );
    return el("table", { className: "memories" }, el("thead", {}, head), el("tbody", {}, rows));
  }

  onSubmit(form, () => {
    pages = [null];
    load();
  });
  previous.addEventListener("click", () => {
    pages.pop();
    load();
  });
  next.addEventListener("click", () => {
    pages.push(nextCursor);
    load();
  });

  return {
    // Filters given by another view (a topic, a cluster) replace the form's.
    show(filters) {
      if (filters) {
        form.reset();
        for (const [name, value] of Object.entries(filters)) form.elements[name].value = value;
        pages = [null];
      }
      return load();
    },
    reset() {
      form.reset();
      pages = [null];
      list.replaceChildren();
      summary.textContent = "";
    },
  };
}
