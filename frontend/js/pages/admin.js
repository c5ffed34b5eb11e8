import { get, send, ProblemError } from "../api.js";
import { alertBox, clear, el, noticeBox } from "../dom.js";
import { t } from "../i18n.js";
import { frame } from "../layout.js";

function editor(v) {
  const input = {
    reference: v.reference, title_en: v.title_en, title_fr: v.title_fr, notice_text: v.notice_text,
    key_challenges: v.key_challenges, posts: v.posts, status: v.status, opens_at: null, rules: v.rules,
    assessors_see_before_deadline: v.assessors_see_before_deadline,
  };
  const area = el("textarea", { id: `rules-${v.reference}`, rows: "14", "aria-label": `${t("rules_json")} ${v.reference}` });
  area.value = JSON.stringify(input, null, 2);
  const out = el("div", { "aria-live": "polite" });
  const save = el("button", { type: "button", class: "primary", "data-save": v.reference, onclick: async () => {
    clear(out);
    try {
      const saved = await send("PUT", `/api/admin/vacancies/${encodeURIComponent(v.reference)}`, JSON.parse(area.value));
      out.append(saved.self_test.passed ? noticeBox(t("self_test_ok")) : alertBox(t("self_test_bad")));
      for (const f of saved.self_test.findings) out.append(el("p", {}, `${f.document}: ${f.sample} → ${f.got} (${t("expected")}: ${f.expected}) ${f.failing_rules.join("; ")}`));
    } catch (e) { out.append(alertBox(e instanceof ProblemError ? e.message : String(e))); }
  } }, t("save"));
  return el("details", {}, el("summary", {}, t("rules_json")), el("label", { for: `rules-${v.reference}` }, t("rules_json")), area, save, out);
}

frame(async (main, s) => {
  if (s.account?.role !== "admin") { location.href = "/login"; return; }
  main.append(el("h1", {}, t("admin_title")));
  const vacancies = await get("/api/admin/vacancies");
  const accounts = await get("/api/admin/accounts");
  const assessors = accounts.filter((a) => a.role === "assessor");
  for (const v of vacancies) {
    const panelOut = el("div", { "aria-live": "polite" });
    const panel = el("form", {}, el("h3", {}, "Panel"), assessors.map((a, i) => el("div", {},
      el("label", {}, el("input", { type: "checkbox", name: "member", value: a.id }), ` ${a.full_name} (${a.email}) `),
      el("label", {}, el("input", { type: "radio", name: "chair", value: a.id, checked: i === 0 }), ` ${t("chair")}`))),
      el("button", { type: "submit", class: "secondary" }, t("save")), panelOut);
    panel.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clear(panelOut);
      const chair = panel.querySelector("input[name=chair]:checked")?.value;
      const members = [...panel.querySelectorAll("input[name=member]:checked")].map((i) => ({ account_id: i.value, chair: i.value === chair }));
      try { await send("PUT", `/api/admin/vacancies/${encodeURIComponent(v.reference)}/panel`, { members }); panelOut.append(noticeBox(t("saved"))); }
      catch (e) { panelOut.append(alertBox(e.message)); }
    });
    main.append(el("section", { class: "card" }, el("h2", {}, `${v.title_en} (${v.reference}) — ${v.status}`), editor(v), panel,
      el("p", {}, el("a", { href: `/api/admin/vacancies/${encodeURIComponent(v.reference)}/results.csv` }, "CSV"), " · ",
        el("a", { href: `/api/admin/vacancies/${encodeURIComponent(v.reference)}/results.xlsx` }, "XLSX"), " · ",
        el("a", { href: `/api/admin/vacancies/${encodeURIComponent(v.reference)}/essays.zip` }, "ZIP"))));
  }
  const audit = await get("/api/admin/audit?limit=50");
  main.append(el("section", { class: "card" }, el("h2", {}, "Audit"), el("table", {}, el("tbody", {}, audit.map((e) => el("tr", {}, el("td", {}, e.at), el("td", {}, e.event), el("td", {}, e.subject ?? "")))))));
});
