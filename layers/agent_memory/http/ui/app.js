// The explorer's entry point: log in and out, the user picker, the views and the one place messages are shown.
import { createApi } from "./api.js";
import { confirmDialog } from "./confirm.js";
import { detailPanel } from "./detail.js";
import { byId, onSubmit } from "./dom.js";
import { graphView } from "./graph.js";
import { clustersView } from "./knowledge.js";
import { memoriesView } from "./memories.js";
import { operationsView } from "./operations.js";
import { searchView } from "./search.js";
import { normaliseBase, session } from "./session.js";
import { statsView } from "./stats.js";

const message = byId("message");
const loginForm = byId("login-form");
const userForm = byId("user-form");

function notify(text, kind = "error") {
  message.textContent = text;
  message.className = `message ${kind}`;
  message.setAttribute("role", kind === "error" ? "alert" : "status");
  message.hidden = !text;
}

function fail(error) {
  notify(error.message);
  if (error.status === 401) logOut(false); // the key was revoked meanwhile: ask for one again
}

const ctx = {
  api: null,
  user: () => session.user,
  // Runs one API exchange: its problem, if any, becomes the message shown; the answer (or null) is returned.
  async call(exchange) {
    try {
      const answer = await exchange();
      if (message.classList.contains("error")) notify("");
      return answer;
    } catch (error) {
      fail(error);
      return null;
    }
  },
  openMemory: (id) => detail.open(id),
  showMemories(filters) {
    select("memories", filters);
  },
  async deleteMemory(memory) {
    const question = `Delete this memory for good (its history too)?\n\n“${memory.content}”`;
    if (!(await confirmDialog(question))) return;
    try {
      await ctx.api.del(`/v1/memories/${encodeURIComponent(memory.id)}`, { user_id: ctx.user() });
    } catch (error) {
      fail(error);
      return;
    }
    if (detail.showing(memory.id)) detail.close();
    await views[current].show();
    notify("The memory was deleted.", "info");
  },
};

const detail = detailPanel(ctx);
const views = {
  memories: memoriesView(ctx),
  search: searchView(ctx),
  clusters: clustersView(ctx),
  graph: graphView(ctx),
  stats: statsView(ctx),
  operations: operationsView(ctx),
};
let current = "memories";

function select(name, filters) {
  if (!views[name]) name = "memories";
  if (current !== name) views[current].hide?.();
  current = name;
  for (const button of document.querySelectorAll(".tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.view === name));
  }
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${name}`;
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  views[name].show(filters);
}

function enter() {
  ctx.api = createApi(session.base, session.key);
  byId("login").hidden = true;
  byId("app").hidden = false;
  userForm.hidden = false;
  byId("logout").hidden = false;
  byId("user-id").value = session.user;
  byId("connection").textContent = `API: ${session.base}`;
  select(location.hash.slice(1));
}

function logOut(clearMessage = true) {
  session.clear();
  ctx.api = null;
  for (const view of Object.values(views)) view.reset();
  detail.close();
  byId("app").hidden = true;
  userForm.hidden = true;
  byId("logout").hidden = true;
  byId("connection").textContent = "";
  byId("login").hidden = false;
  loginForm.reset();
  loginForm.elements.base.value = session.base;
  if (clearMessage) notify("");
}

// A key is kept only once the API has accepted it (a listing of one memory of the chosen user).
onSubmit(loginForm, async () => {
  const fields = loginForm.elements;
  let base;
  try {
    base = normaliseBase(fields.base.value);
  } catch (error) {
    notify(error.message.startsWith("The API") ? error.message : `Not a URL: ${fields.base.value}`);
    return;
  }
  const key = fields.key.value.trim();
  const user = fields.user.value.trim();
  try {
    await createApi(base, key).get("/v1/memories", { user_id: user, limit: 1 });
  } catch (error) {
    notify(error.message);
    return;
  }
  fields.key.value = "";
  session.save({ key, base, user });
  notify("");
  enter();
});

onSubmit(userForm, () => {
  session.setUser(byId("user-id").value.trim());
  for (const view of Object.values(views)) view.reset();
  detail.close();
  select(current);
});

byId("logout").addEventListener("click", () => logOut());
for (const button of document.querySelectorAll(".tabs button")) {
  button.addEventListener("click", () => select(button.dataset.view));
}

window.addEventListener("hashchange", () => {
  if (ctx.api && location.hash.slice(1) !== current) select(location.hash.slice(1));
});

loginForm.elements.base.value = session.base;
if (session.key) enter();
