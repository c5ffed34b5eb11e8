import { get, send } from "../api.js";
import { alertBox, clear, el, noticeBox } from "../dom.js";
import { addTables, lang, locale, t } from "../i18n.js";
import { frame, localTime, problemText } from "../layout.js";
import { flagText } from "../flags.js";
import assessTables from "../i18n/assess.js";

addTables(assessTables);

const number2 = (x) => new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

function kindText(kind) {
  const key = `as_kind_${kind.replace(/-/g, "_")}`;
  const text = t(key);
  return text === key ? el("span", { lang: "en" }, kind) : text;
}

/** A table that scrolls inside its own focusable region on a phone. */
function wrapped(label, table) {
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": label }, table);
}

function decisionText(decision) {
  if (decision === "longlisted") return t("as_decision_longlisted");
  if (decision === "not-longlisted") return t("as_decision_not_longlisted");
  return t("as_no_decision");
}

/** Why a refused decision was refused, in the page's language: the server's two refusals the
 *  chair can act on are said in full here (the server's detail is in English). */
function decisionProblem(e) {
  const slug = (e?.problem?.type || "").split("/").pop();
  if (slug === "extension-running") {
    return t("as_extension_refused", { code: e.problem.candidate_code ?? "", time: localTime(e.problem.extension_ends_at) });
  }
  if (slug === "conflict-of-interest") return t("as_conflict_refused");
  return problemText(e);
}

/** Scores left out of an essay's mean, grouped by why: "1 excluded: conflict of interest". */
function excludedText(excluded) {
  const conflicts = excluded.filter((x) => x.reason === "conflict-of-interest").length;
  const byVersion = new Map();
  for (const x of excluded.filter((y) => y.reason === "earlier-version")) {
    byVersion.set(x.version ?? "?", (byVersion.get(x.version ?? "?") ?? 0) + 1);
  }
  const parts = [];
  if (conflicts) parts.push(t("as_excluded_conflict", { n: conflicts }));
  for (const [version, n] of byVersion) parts.push(t("as_excluded_version", { n, v: version }));
  return parts.join(" ");
}

/** The one confirmation dialog of the page: what is decided, on what scores, and a warning
 *  when not every panel member has scored, or while the candidate's extension runs (then the
 *  decision needs a reason, kept in the audit log). Nothing is recorded until "Confirm". */
function confirmDialog() {
  const title = el("h2", { id: "confirm-title" }, t("as_confirm_title"));
  const question = el("p", { id: "confirm-question" });
  const facts = el("p", { id: "confirm-facts" });
  const warning = el("p", { id: "confirm-warning", class: "confirm-warning" });
  const extension = el("p", { id: "confirm-extension", class: "confirm-warning" });
  const reason = el("textarea", { id: "override-reason", rows: "2" });
  const overrideField = el("div", { class: "field", id: "override-field" },
    el("label", { for: "override-reason" }, t("as_override_reason")), reason);
  const out = el("div");
  const yes = el("button", { type: "button", class: "primary", id: "confirm-yes" }, t("as_confirm"));
  const no = el("button", { type: "button", class: "secondary", id: "confirm-no" }, t("as_cancel"));
  const dialog = el("dialog", { id: "confirm-decision", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-question confirm-warning confirm-extension" },
    title, question, facts, warning, extension, overrideField, out, el("div", { class: "confirm-actions" }, yes, no));
  let pending = null;
  no.addEventListener("click", () => dialog.close());
  yes.addEventListener("click", async () => {
    if (!pending) return;
    clear(out);
    yes.disabled = true;
    try {
      await pending.run(reason.value.trim());
      dialog.close();
      pending.done();
    } catch (e) {
      out.append(alertBox(decisionProblem(e)));
    } finally {
      yes.disabled = false;
    }
  });
  dialog.ask = (r, decision, run, done) => {
    pending = { run, done };
    clear(out);
    question.textContent = t(decision === "longlisted" ? "as_confirm_longlisted" : "as_confirm_not_longlisted", { code: r.candidate_code });
    facts.textContent = t("as_confirm_facts", { mean: r.mean === null ? "—" : number2(r.mean), n: r.scores, m: r.expected_scores });
    warning.textContent = r.scores === 0 ? t("as_confirm_unscored")
      : r.scores < r.expected_scores ? t(r.scores === 1 ? "as_confirm_incomplete_one" : "as_confirm_incomplete", { n: r.scores, m: r.expected_scores }) : "";
    warning.hidden = !warning.textContent;
    extension.textContent = r.extension_ends_at ? t("as_confirm_extension", { code: r.candidate_code, time: localTime(r.extension_ends_at) }) : "";
    extension.hidden = !r.extension_ends_at;
    overrideField.hidden = !r.extension_ends_at;
    reason.value = "";
    dialog.showModal();
    no.focus();
  };
  return dialog;
}

async function showResults(holder, v, dialog, announce) {
  const ref = encodeURIComponent(v.reference);
  const results = await get(`/api/assessor/vacancies/${ref}/results`);
  const decide = (r, decision) => dialog.ask(r, decision,
    // An override is sent only when the chair wrote why; without one the server refuses (409).
    (why) => send("POST", `/api/assessor/vacancies/${ref}/decisions`,
      { application_id: r.application_id, decision, confirm_incomplete: r.scores < r.expected_scores,
        ...(r.extension_ends_at && why ? { override_extension: { reason: why } } : {}) }),
    async () => {
      clear(holder);
      await showResults(holder, v, dialog, noticeBox(t("as_decided", { decision: decisionText(decision), code: r.candidate_code })));
      holder.querySelector(`[data-decide="${r.candidate_code}"]`)?.focus();
    });
  const head = [t("as_candidate"), t("as_scores_count"), t("as_mean"), t("as_spread"), t("as_disagreement"), t("as_decision"), t("as_action")];
  // On a phone each row becomes a card, its cells labelled: the decision buttons stay on screen.
  const table = el("table", { class: "results stack-on-phone", id: `results-${v.reference}` },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, results.map((r) => el("tr", {},
      el("th", { scope: "row" }, r.candidate_code),
      el("td", { class: r.scores < r.expected_scores ? "incomplete" : null, "data-scores": String(r.scores), "data-label": head[1] }, t("as_scores_of", { n: r.scores, m: r.expected_scores }),
        r.excluded_scores.length ? el("span", { class: "excluded", "data-excluded": String(r.excluded_scores.length) }, excludedText(r.excluded_scores)) : null),
      el("td", { "data-mean": r.mean === null ? "" : String(r.mean), "data-label": head[2] }, r.mean === null ? "—" : number2(r.mean)),
      el("td", { "data-label": head[3] }, r.spread === null ? "—" : number2(r.spread)),
      el("td", { "data-label": head[4] }, r.disagreement ? t("as_yes") : t("as_no")),
      el("td", { "data-decision": r.decision ?? "", "data-label": head[5] }, decisionText(r.decision),
        r.earlier_decision ? el("span", { class: "earlier", "data-earlier-decision": r.earlier_decision.decision },
          t("as_earlier_decision", { decision: decisionText(r.earlier_decision.decision), v: r.earlier_decision.version ?? "?" })) : null,
        r.extension_ends_at ? el("span", { class: "earlier", "data-extension": r.candidate_code }, t("as_extension_until", { time: localTime(r.extension_ends_at) })) : null),
      r.conflict_declared_by_you ? el("td", { class: "actions", "data-conflicted": r.candidate_code }, t("as_you_conflicted")) : el("td", { class: "actions" },
        el("button", { type: "button", class: "secondary", "data-decide": r.candidate_code, onclick: () => decide(r, "longlisted") }, t("as_longlist"), el("span", { class: "sr-only" }, ` — ${r.candidate_code}`)),
        el("button", { type: "button", class: "secondary", "data-reject": r.candidate_code, onclick: () => decide(r, "not-longlisted") }, t("as_not_longlist"), el("span", { class: "sr-only" }, ` — ${r.candidate_code}`)))))));
  holder.append(...[el("h3", {}, t("as_results")), announce, wrapped(t("as_results_table", { ref: v.reference }), table)].filter(Boolean));
}

frame(async (main, s) => {
  if (s.account?.role !== "assessor") { location.href = "/login"; return; }
  main.append(el("h1", {}, t("as_title")));
  const vacancies = await get("/api/assessor/vacancies");
  if (!vacancies.length) main.append(el("p", {}, t("as_none")));
  const dialog = confirmDialog();
  for (const v of vacancies) {
    const title = (lang() === "fr" ? v.title_fr : v.title_en) || v.title_en;
    const card = el("section", { class: "card" }, el("h2", {}, `${title} (${v.reference})`, v.is_chair ? el("span", { class: "muted chair-note" }, ` — ${t("as_chair")}`) : null));
    main.append(card);
    if (!v.essays_readable) {
      // The instant is the deadline plus the grace that uploads under way at the deadline get.
      card.append(el("p", { id: `readable-from-${v.reference}` }, v.readable_from
        ? t("as_readable_from", { time: localTime(v.readable_from) }) : t("as_not_yet_readable")));
      continue;
    }
    const essays = await get(`/api/assessor/vacancies/${encodeURIComponent(v.reference)}/essays`);
    card.append(el("h3", {}, t("as_essays")));
    if (!essays.length) card.append(el("p", {}, t("as_no_essays")));
    else {
      const scored = essays.filter((e) => e.scored_by_me).length;
      card.append(el("p", { class: "progress-line", id: `progress-${v.reference}` },
        el("label", { for: `progress-bar-${v.reference}` }, t("as_progress", { n: scored, m: essays.length })), " ",
        el("progress", { id: `progress-bar-${v.reference}`, max: String(essays.length), value: String(scored) })));
      const head = [t("as_candidate"), t("as_document"), t("as_pages"), t("as_flags"), t("as_action")];
      card.append(wrapped(t("as_essays_table", { ref: v.reference }), el("table", { class: "essays stack-on-phone" },
        el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, essays.map((e) => el("tr", { class: e.scored_by_me ? "scored" : null },
          el("th", { scope: "row" }, e.candidate_code),
          el("td", { "data-label": head[1] }, kindText(e.document_kind)),
          el("td", { "data-label": head[2] }, String(e.pages ?? "—")),
          el("td", { class: "flag", "data-label": head[3] }, e.flags.length ? e.flags.map((f) => el("span", {}, flagText(f), " ")) : "—"),
          el("td", { "data-label": head[4] }, el("a", { href: `/essay?version=${encodeURIComponent(e.version_id)}`, "data-code": e.candidate_code },
            e.scored_by_me ? t("as_read_scored") : t("as_read"), el("span", { class: "sr-only" }, ` — ${e.candidate_code}`)))))))));
    }
    if (v.is_chair) {
      const holder = el("div", { class: "results-holder" });
      card.append(holder);
      await showResults(holder, v, dialog);
    }
  }
  main.append(dialog);
});
