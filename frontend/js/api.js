// The JSON API, with the CSRF token every state-changing request needs. Every request asks for
// the page's language (a problem's `title` follows it; the pages say problems from their type).
import { lang } from "./i18n.js";

let csrf = null;
let sessionPromise = null;

export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export function session(refresh = false) {
  if (!sessionPromise || refresh) {
    sessionPromise = fetch("/api/session", { credentials: "same-origin" })
      .then((r) => r.json())
      .then((s) => { csrf = s.csrf_token; return s; });
  }
  return sessionPromise;
}

export function setCsrf(token) { csrf = token; }
export function csrfToken() { return csrf; }

async function parse(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ProblemError(body || {}, response.status);
  return body;
}

export async function get(path) {
  let response;
  try { response = await fetch(path, { credentials: "same-origin", headers: { "Accept-Language": lang() } }); } catch { throw new Error("network"); }
  return parse(response);
}

export async function send(method, path, body) {
  await session();
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept-Language": lang() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch { throw new Error("network"); }
  return parse(response);
}

/** Uploads with XMLHttpRequest, because fetch cannot report upload progress. `signal` (an
 *  AbortSignal) ends the request; the promise then rejects with an Error whose message is the
 *  abort's reason ("retry" or "cancel"), so the caller knows which the candidate chose. */
export function upload(path, file, onProgress, idempotencyKey, onSent, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    if (signal) {
      if (signal.aborted) { reject(new Error(String(signal.reason))); return; }
      signal.addEventListener("abort", () => { xhr.onabort = () => reject(new Error(String(signal.reason))); xhr.abort(); }, { once: true });
    }
    xhr.open("POST", path);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept-Language", lang());
    if (idempotencyKey) xhr.setRequestHeader("Idempotency-Key", idempotencyKey);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.upload.onload = () => { onProgress(1); onSent?.(); };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response || {} });
    xhr.onerror = () => reject(new Error("network"));
    xhr.onabort = () => reject(new Error("network"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
