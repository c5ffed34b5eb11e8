import { get, send } from "../api.js";
import { alertBox, el } from "../dom.js";
import { lang, t } from "../i18n.js";
import { frame } from "../layout.js";

frame(async (main, s) => {
  if (s.account?.role !== "assessor") { location.href = "/login"; return; }
  main.append(el("h1", {}, t("assess_title")));
  for (const v of await get("/api/assessor/vacancies")) {
    const card = el("section", { class: "card" }, el("h2", {}, `${lang() === "fr" ? v.title_fr : v.title_en} (${v.reference})${v.is_chair ? " — " + t("chair") : ""}`));
    main.append(card);
    if (!v.essays_readable) { card.append(el("p", {}, t("not_yet_readable"))); continue; }
    const essays = await get(`/api/assessor/vacancies/${encodeURIComponent(v.reference)}/essays`);
    card.append(el("table", {}, el("thead", {}, el("tr", {}, [t("candidate"), t("document"), t("page_count"), t("flags"), ""].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, essays.map((e) => el("tr", {}, el("td", {}, e.candidate_code), el("td", {}, e.document_kind), el("td", {}, String(e.pages ?? "—")),
        el("td", { class: "flag" }, e.flags.map((f) => f.message).join(" ")),
        el("td", {}, el("a", { href: `/essay?version=${e.version_id}` }, `${t("read")}${e.scored_by_me ? " ✓" : ""}`)))))));
    if (v.is_chair) {
      const results = await get(`/api/assessor/vacancies/${encodeURIComponent(v.reference)}/results`);
      card.append(el("h3", {}, t("results")), el("table", { id: "results" },
        el("thead", {}, el("tr", {}, [t("candidate"), t("score"), t("mean"), t("spread"), t("disagreement"), t("decision")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, results.map((r) => el("tr", {}, el("td", {}, r.candidate_code), el("td", {}, String(r.scores)), el("td", {}, r.mean ?? "—"), el("td", {}, r.spread ?? "—"),
          el("td", {}, r.disagreement ? t("yes") : t("no")),
          el("td", {}, r.decision ?? "", " ",
            el("button", { type: "button", class: "secondary", "data-decide": r.candidate_code, onclick: async () => { try { await send("POST", `/api/assessor/vacancies/${encodeURIComponent(v.reference)}/decisions`, { application_id: r.application_id, decision: "longlisted" }); location.reload(); } catch (e) { card.append(alertBox(e.message)); } } }, t("longlist")),
            el("button", { type: "button", class: "secondary", onclick: async () => { await send("POST", `/api/assessor/vacancies/${encodeURIComponent(v.reference)}/decisions`, { application_id: r.application_id, decision: "not-longlisted" }); location.reload(); } }, t("not_longlist"))))))));
    }
  }
});
