// The operations view: the jobs of the tenant or the user (GET /v1/operations, paged with next_before), and one
// operation with its progress bar, read again every second while it is queued or running.
import { byId, el, formValues, onSubmit, put, when } from "./dom.js";

const POLL_MS = 1000;
const LIVE = new Set(["queued", "running"]);

export function operationsView(ctx) {
  const form = byId("operations-form");
  const list = byId("operations-list");
  const more = byId("operations-more");
  const detail = byId("operation-detail");
  let before = null;
  let watched = null; // the operation shown; a poll for any other one stops
  let timer = null;

  async function load(append = false) {
    const { mine, ...filters } = formValues(form);
    const params = { ...filters, user_id: mine ? ctx.user() : "", before: append ? before : "", limit: 20 };
    const page = await ctx.call(() => ctx.api.get("/v1/operations", params));
    if (!page) return;
    before = page.next_before;
    more.hidden = !before;
    const rows = page.items.map(row);
    if (append && list.querySelector("tbody")) list.querySelector("tbody").append(...rows);
    else
      list.replaceChildren(page.items.length ? table(rows) : el("p", { className: "muted", text: "No operations." }));
  }

  function table(rows) {
    const head = el(
      "tr",
      {},
      ["Created", "Kind", "Status", "User", "Progress"].map((h) => el("th", { text: h })),
    );
    return el("table", { className: "operations" }, el("thead", {}, head), el("tbody", {}, rows));
  }

  function row(operation) {
    return el(
      "tr",
      { data: { id: operation.operation_id } },
      el(
        "td",
        {},
        el("button", {
          className: "link",
          text: when(operation.created_at),
          on: { click: () => open(operation.operation_id) },
        }),
      ),
      el("td", { text: operation.kind }),
      el("td", {}, el("span", { className: `status status-${operation.status}`, text: operation.status })),
      el("td", { text: operation.user_id }),
      el("td", {}, bar(operation.progress)),
    );
  }

  async function open(id, polled = false) {
    watched = id;
    clearTimeout(timer);
    const operation = await ctx.call(() => ctx.api.get(`/v1/operations/${encodeURIComponent(id)}`));
    if (!operation || watched !== id) return;
    render(operation);
    if (LIVE.has(operation.status))
      timer = setTimeout(() => watched === id && !detail.hidden && open(id, true), POLL_MS);
    else if (polled) load(); // it has just finished: its row in the list is stale
  }

  function render(operation) {
    const progress = operation.progress;
    const phase = progress.phase
      ? `phase ${progress.phase_number}/${progress.phases}: ${progress.phase}`
      : "not started";
    const counts = Object.entries(operation.counts);
    put(
      detail,
      el(
        "div",
        { className: "panel-head" },
        el("h2", { text: `${operation.kind} ${operation.operation_id}` }),
        el("button", { className: "secondary small", text: "Close", on: { click: close } }),
      ),
      el(
        "p",
        {},
        el("span", { className: `status status-${operation.status}`, text: operation.status }),
        ` for ${operation.user_id}`,
      ),
      el(
        "p",
        {},
        bar(progress),
        ` ${phase} (${progress.done}${progress.total === null ? "" : ` of ${progress.total}`})`,
      ),
      operation.error ? el("p", { className: "error", text: operation.error }) : null,
      el("dl", { className: "fields" }, [
        ...counts.map(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]),
        ...["created_at", "started_at", "finished_at"].map((name) => [
          el("dt", { text: name.replace("_at", "") }),
          el("dd", { text: when(operation[name]) }),
        ]),
      ]),
      Object.keys(operation.result).length
        ? el(
            "details",
            {},
            el("summary", { text: "Result" }),
            el("pre", { text: JSON.stringify(operation.result, null, 2) }),
          )
        : null,
    );
    detail.hidden = false;
  }

  // The phase's own progress: done of total items when known; otherwise how many phases have finished.
  function bar(progress) {
    const [value, max] = progress.total
      ? [progress.done, progress.total]
      : [Math.max(0, progress.phase_number - 1), progress.phases];
    return el("progress", { attrs: { value, max: Math.max(1, max) }, text: `${value} / ${max}` });
  }

  function close() {
    watched = null;
    clearTimeout(timer);
    detail.hidden = true;
  }

  onSubmit(form, () => load());
  more.addEventListener("click", () => load(true));

  return {
    show: () => load(),
    hide: close,
    reset() {
      close();
      list.replaceChildren();
    },
  };
}
