// What the explorer remembers between page loads of one tab: sessionStorage only (never localStorage or cookies),
// so the API key is gone when the tab closes or the user logs out.
const KEY = "agent-memory.api-key";
const BASE = "agent-memory.base-url";
const USER = "agent-memory.user-id";

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  get base() {
    return sessionStorage.getItem(BASE) || defaultBase();
  },
  get user() {
    return sessionStorage.getItem(USER) || "";
  },
  save({ key, base, user }) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(BASE, base);
    this.setUser(user);
  },
  setUser(user) {
    sessionStorage.setItem(USER, user || "");
  },
  clear() {
    for (const name of [KEY, BASE, USER]) sessionStorage.removeItem(name);
  },
};

// The page's own origin, unless it was opened from a file (whose origin is "null").
export function defaultBase() {
  return location.origin && location.origin !== "null" ? location.origin : "";
}

export function normaliseBase(text) {
  const url = new URL(text.trim());
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("The API base URL must be http(s).");
  return (url.origin + url.pathname).replace(/\/+$/, "");
}
