// The API as the explorer calls it: the key in the X-API-Key header (never in a URL), answers as JSON, and
// problems (application/problem+json) turned into one readable sentence.
export class ApiError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

export function describeProblem(status, problem) {
  if (!problem || typeof problem !== "object" || !problem.title) return `The API answered HTTP ${status}.`;
  const code = problem.code ? `, ${problem.code}` : "";
  let text = `${problem.title} (${status}${code})`;
  if (problem.detail) text += `: ${problem.detail}`;
  if (Array.isArray(problem.errors) && problem.errors.length) {
    text += ` [${problem.errors.map((e) => `${e.loc}: ${e.msg}`).join("; ")}]`;
  }
  if (status === 401) text += " Check the API key, or log out and in again.";
  if (problem.existing_id) text += ` Existing memory: ${problem.existing_id}.`;
  return text;
}

export function createApi(base, key) {
  async function request(method, path, params = {}) {
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: { "X-API-Key": key, Accept: "application/json" },
        cache: "no-store",
        credentials: "omit",
      });
    } catch {
      throw new ApiError(
        `Could not reach the API at ${base}: the server is down, or the browser blocked the call (the API sends no ` +
          "CORS headers, so it must be on this page's origin).",
        0,
        null,
      );
    }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) throw new ApiError(describeProblem(response.status, body), response.status, body);
    return body;
  }
  return {
    get: (path, params) => request("GET", path, params),
    del: (path, params) => request("DELETE", path, params),
  };
}
