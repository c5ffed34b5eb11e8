// Client-side pre-checks before an upload. The server is the judge; these only warn early.
import { bytes, t } from "./i18n.js";

// The file-name rule exactly as the server applies it (policy/src/filename.rs), to warn before
// sending; the server still judges. Basename only, NFC, case-insensitive, `_ - .` and spaces
// are separators, the reference a whole token, the phrase's words consecutive and in order.
const SEPARATORS = /[\s_.\-]+/u;
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
export function basename(name) { return name.split(/[\\/]/).pop(); }
export function tokens(text) {
  return text.normalize("NFC").toLowerCase().normalize("NFC").split(SEPARATORS).filter(Boolean);
}
function containsRun(haystack, needle) {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, j) => haystack[i + j] === w)) return true;
  }
  return false;
}
export function precheck(file, doc, reference) {
  const problems = [];
  const base = basename(file.name);
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  if (doc.formats?.length && !doc.formats.includes(ext)) {
    problems.push(t("pre_format", { ext: ext || "?", formats: doc.formats.map((f) => "." + f).join(" / ") }));
  }
  if (doc.max_bytes && file.size > doc.max_bytes) problems.push(t("pre_size", { size: bytes(file.size), max: bytes(doc.max_bytes) }));
  if (FORBIDDEN.test(base)) {
    problems.push(t("pre_control"));
  } else {
    const words = tokens(base);
    const refTokens = doc.filename_must_include_reference ? tokens(reference) : [];
    const phraseTokens = doc.filename_phrase ? tokens(doc.filename_phrase) : [];
    const missing = [];
    if (refTokens.length && !containsRun(words, refTokens)) missing.push(t("pre_name_ref", { ref: reference }));
    if (phraseTokens.length && !containsRun(words, phraseTokens)) missing.push(t("pre_name_phrase", { phrase: doc.filename_phrase }));
    // The example keeps the chosen file's format when it is one the document takes: a PDF is
    // not told to be named ".docx".
    const example = ext && doc.formats?.includes(ext) && doc.suggested_filename
      ? doc.suggested_filename.replace(/\.[^.]+$/, `.${ext}`) : doc.suggested_filename;
    if (missing.length) problems.push(t("pre_name", { what: missing.join(` ${t("and")} `), example }));
  }
  return problems;
}

/** True when `name` satisfies the file-name rule for `reference` and `phrase` (either may be empty). */
export function filenameOk(name, reference, phrase) {
  const words = tokens(basename(name));
  const r = reference ? tokens(reference) : [];
  const p = phrase ? tokens(phrase) : [];
  return !FORBIDDEN.test(basename(name)) && (!r.length || containsRun(words, r)) && (!p.length || containsRun(words, p));
}
