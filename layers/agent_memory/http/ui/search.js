// The search view: GET /v1/memories/search with its filters; each hit with its score and highlighted snippets.
import { byId, dayBound, el, formValues, marked, onSubmit, tags, when } from "./dom.js";

const PAGE = 10;

export function searchView(ctx) {
  const form = byId("search-form");
  const results = byId("search-results");
  const summary = byId("search-summary");
  const previous = byId("search-prev");
  const next = byId("search-next");
  let offset = 0;

  async function run() {
    const values = formValues(form);
    if (!values.q) return;
    const params = {
      ...values,
      user_id: ctx.user(),
      start_date: dayBound(values.start_date),
      end_date: dayBound(values.end_date, true),
      limit: PAGE,
      offset,
    };
    const answer = await ctx.call(() => ctx.api.get("/v1/memories/search", params));
    if (!answer) return;
    const matches = `${answer.total} match${answer.total === 1 ? "" : "es"} (${answer.mode})`;
    const range = `${offset + 1}–${offset + answer.results.length}`;
    summary.textContent = answer.total ? `${matches}; showing ${range}` : "Nothing matches.";
    results.replaceChildren(...answer.results.map(hit));
    results.start = offset + 1;
    previous.disabled = offset === 0;
    next.disabled = offset + answer.results.length >= answer.total;
  }

  function hit(result) {
    const memory = result.memory;
    const snippets = marked(memory.content, result.matches);
    return el(
      "li",
      { className: "hit", data: { id: memory.id } },
      el("div", { className: "score", text: result.score.toFixed(3), attrs: { title: "score" } }),
      el(
        "div",
        {},
        snippets.map((snippet) => el("p", { className: "snippet" }, snippet)),
      ),
      el(
        "div",
        { className: "muted" },
        when(memory.created_at),
        " ",
        tags(memory.topics),
        el("button", { className: "link", text: "Open", on: { click: () => ctx.openMemory(memory.id) } }),
      ),
    );
  }

  onSubmit(form, () => {
    offset = 0;
    run();
  });
  previous.addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE);
    run();
  });
  next.addEventListener("click", () => {
    offset += PAGE;
    run();
  });

  return {
    show: () => run(),
    reset() {
      form.reset();
      results.replaceChildren();
      summary.textContent = "";
    },
  };
}
