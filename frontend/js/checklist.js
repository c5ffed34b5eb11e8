// The server's verdict as a checklist, and the picture of the pages.
import { el } from "./dom.js";
import { pick, t } from "./i18n.js";

const ICONS = { pass: "✓", fail: "✗", warn: "!" };

function ruleName(id) {
  const key = `rule_${id}`;
  const text = t(key);
  return text === key ? id : text;
}

/** One row per rule: status as icon and word (never colour alone), expected, found, message. */
export function checklist(verdict) {
  const rows = (verdict?.rules || []).map((r) => el("tr", { class: `row-${r.status}`, "data-rule": r.rule },
    el("th", { scope: "row" }, ruleName(r.rule)),
    el("td", { class: `status status-${r.status}` },
      el("span", { class: "icon", "aria-hidden": "true" }, ICONS[r.status] || "?"), " ", t(`status_${r.status}`),
      r.status === "fail" && r.blocking ? el("span", { class: "sub" }, t("blocking")) : null),
    el("td", { "data-label": t("expected") }, r.expected ?? "—"),
    el("td", { "data-label": t("found") }, r.found ?? "—"),
    el("td", { "data-label": t("what_to_do") }, pick(r.message)),
  ));
  return el("div", { class: "table-wrap" }, el("table", { class: "checklist" },
    el("caption", {}, t("checklist")),
    el("thead", {}, el("tr", {}, ["rule", "result", "expected", "found", "what_to_do"].map((k) => el("th", { scope: "col" }, t(k))))),
    el("tbody", {}, rows)));
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
    el("p", {}, maxPages ? t("pages_summary", { pages, max: maxPages }) : t("pages_summary_nolimit", { pages }),
      over ? el("strong", { class: "status-fail" }, " ", t("pages_over", { over })) : null),
    el("ol", { class: "pages" }, boxes),
    el("p", { class: "muted small" }, t("pages_legend")),
    starts.length ? el("ul", { class: "page-starts" }, starts) : null);
}
