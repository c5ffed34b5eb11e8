// The server's verdict as a checklist, and the picture of the pages.
import { el } from "./dom.js";
import { bytes, lang, pick, t } from "./i18n.js";
import { exactTime } from "./when.js";

const ICONS = { pass: "✓", fail: "✗", warn: "!" };

/** Whether a verdict accepts the document with at least one warning. */
export function acceptedWithWarnings(verdict) {
  return verdict?.verdict === "accept" && (verdict.rules || []).some((r) => r.status === "warn");
}

/** A verdict as a badge: accepted, accepted with warnings (its own look and words), not accepted. */
export function verdictBadge(verdict) {
  if (acceptedWithWarnings(verdict)) return el("span", { class: "badge warn" }, `! ${t("verdict_accept_warn")}`);
  const ok = verdict?.verdict === "accept";
  return el("span", { class: `badge ${ok ? "ok" : "bad"}` }, `${ok ? "✓" : "✗"} ${t(ok ? "verdict_accept" : "verdict_reject")}`);
}
// Failing rules first, then warnings, then what passed: the fix is the first thing read.
const ORDER = { fail: 0, warn: 1, pass: 2 };

export function ruleName(id) {
  const key = `rule_${id}`;
  const text = t(key);
  return text === key ? id : text;
}

/** "1 page", "2 pages" / "1 page", "2 pages" — with the language's plural. */
export function pagesText(n) {
  return t(Number(n) === 1 || (lang() === "fr" && Number(n) === 0) ? "pages_one" : "pages_many", { n });
}

/** A checklist value (`expected_value`/`found_value` of a rule) in the page's language and
 *  units; the contract's English text (`raw`) only for a verdict stored before values existed. */
export function valueText(value, raw) {
  if (!value) return raw ?? "—";
  switch (value.kind) {
    case "text": return pick(value);
    case "name": return value.text;
    case "bytes": return value.at_most ? t("v_at_most", { x: bytes(value.bytes) }) : bytes(value.bytes);
    case "pages": return value.at_most ? t("v_at_most", { x: pagesText(value.pages) }) : pagesText(value.pages);
    case "began_before": return t("v_began_before", { at: exactTime(value.at) });
    case "began": return value.completed
      ? t("v_began_completed", { began: exactTime(value.began), completed: exactTime(value.completed) })
      : t("v_began", { at: exactTime(value.began) });
    default: return raw ?? "—";
  }
}

/** The rules, failing ones first (stable within each status). */
export function sortedRules(rules) {
  return (rules || []).map((r, i) => [r, i])
    .sort(([a, i], [b, j]) => (ORDER[a.status] ?? 3) - (ORDER[b.status] ?? 3) || i - j)
    .map(([r]) => r);
}

/** One row per rule: status as icon and word (never colour alone), expected, found, message. */
export function checklist(verdict) {
  const rows = sortedRules(verdict?.rules).map((r) => el("tr", { class: `row-${r.status}`, "data-rule": r.rule },
    el("th", { scope: "row" }, ruleName(r.rule)),
    el("td", { class: `status status-${r.status}` },
      el("span", { class: "icon", "aria-hidden": "true" }, ICONS[r.status] || "?"), " ", t(`status_${r.status}`),
      r.status === "fail" && r.blocking ? el("span", { class: "sub" }, t("blocking")) : null),
    el("td", { "data-label": t("expected"), class: "value" }, valueText(r.expected_value, r.expected)),
    el("td", { "data-label": t("found"), class: "value" }, valueText(r.found_value, r.found)),
    el("td", { "data-label": t("what_to_do") }, pick(r.message)),
  ));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("checklist") }, el("table", { class: "checklist" },
    el("caption", {}, t("checklist")),
    el("thead", {}, el("tr", {}, ["rule", "result", "expected", "found", "what_to_do"].map((k) => el("th", { scope: "col" }, t(k))))),
    el("tbody", {}, rows)));
}

/** Under the checklist: the picture of the pages, or, for a file whose pages could not be
 *  counted, why, in plain words. Never null. */
export function underChecklist(inspection, maxPages) {
  const picture = pagesPicture(inspection, maxPages);
  if (picture) return picture;
  return el("p", { class: "muted no-pages" }, t(inspection?.encrypted ? "no_pages_encrypted" : "no_pages_unreadable"));
}

/** One box per A4 page (210:297), filled to how full it is; boxes past the limit in red. */
export function pagesPicture(inspection, maxPages) {
  const pages = inspection?.pages;
  if (!pages) return null;
  const boxes = [];
  for (let i = 1; i <= pages; i++) {
    const fill = i < pages ? 1 : Math.max(0.03, Math.min(1, inspection.last_page_fill ?? 1));
    const pct = Math.round(fill * 100);
    const over = Boolean(maxPages) && i > maxPages;
    const filled = el("div", { class: "fill" });
    filled.style.height = `${pct}%`;
    boxes.push(el("li", { class: `page${over ? " over" : ""}` },
      el("span", { class: "sr-only" }, t(over ? "page_box_over" : "page_box", { n: i, pct })),
      filled, el("span", { class: "num", "aria-hidden": "true" }, String(i)),
      over ? el("span", { class: "over-tag", "aria-hidden": "true" }, "✗") : null));
  }
  const over = maxPages ? Math.max(0, pages - maxPages) : 0;
  const starts = (inspection.page_starts || [])
    .map((words, i) => (i > 0 && words ? el("li", { class: maxPages && i + 1 > maxPages ? "over" : null }, t("page_starts", { n: i + 1, words: words.replace(/…$/, "") })) : null))
    .filter(Boolean);
  return el("section", { class: "pages-picture" },
    el("h3", {}, t("pages_picture")),
    el("p", {}, maxPages ? t("pages_summary", { pages: pagesText(pages), max: pagesText(maxPages) }) : t("pages_summary_nolimit", { pages: pagesText(pages) }),
      over ? el("strong", { class: "status-fail" }, " ", t(over === 1 ? "pages_over_one" : "pages_over", { over })) : null),
    el("ol", { class: "pages" }, boxes),
    el("p", { class: "muted small" }, t("pages_legend")),
    starts.length ? el("ul", { class: "page-starts" }, starts) : null);
}
