import { get } from "../api.js";
import { el } from "../dom.js";
import { bytes, pick, pickField, t } from "../i18n.js";
import { frame, localTime } from "../layout.js";

frame(async (main, s) => {
  if (s.account?.role !== "candidate") { location.href = "/login?next=/applications"; return; }
  main.append(el("h1", {}, t("my_applications")));
  const apps = await get("/api/applications");
  if (!apps.length) { main.append(el("p", { class: "card" }, t("none_yet"), " ", el("a", { href: "/" }, t("nav_vacancies")))); return; }
  for (const a of apps) {
    main.append(el("section", { class: "card application", "data-reference": a.reference },
      el("p", { class: "eyebrow" }, `${t("reference")} ${a.reference}`,
        el("span", { class: `badge ${a.status === "active" ? "ok" : "neutral"}` }, t(a.status === "active" ? "status_active" : "withdrawn"))),
      el("h2", {}, el("a", { href: `/vacancy?ref=${encodeURIComponent(a.reference)}` }, pickField(a))),
      a.deadline_display ? el("p", { class: "muted" }, `${t("deadline")} ${pick(a.deadline_display)}`) : null,
      a.read_only ? el("p", { class: "muted" }, t("read_only")) : null,
      a.documents.map((d) => {
        const cur = d.current;
        const history = [...d.versions].sort((x, y) => y.version - x.version);
        return el("div", { class: "doc" }, el("h3", {}, pickField(d)),
          cur ? el("p", {}, el("span", { class: "badge ok" }, `✓ ${t("current")}`), " ",
            `${t("version_n", { n: cur.version })} — ${cur.original_filename} — ${bytes(cur.size_bytes)}${cur.pages ? ` — ${cur.pages} ${t("page_count").toLowerCase()}` : ""} — ${localTime(cur.upload_completed_at)} `,
            el("a", { href: `/receipt?version=${encodeURIComponent(cur.id)}` }, t("receipt"))) : el("p", { class: "muted" }, t("no_versions")),
          history.length ? el("details", {}, el("summary", {}, `${t("versions")} (${history.length})`),
            el("ul", {}, history.map((v) => {
              const ok = v.verdict?.verdict === "accept";
              return el("li", {}, el("span", { class: `badge ${ok ? "ok" : "bad"}` }, `${ok ? "✓" : "✗"} ${t(ok ? "verdict_accept" : "verdict_reject")}`), " ",
                `${t("version_n", { n: v.version })} — ${v.original_filename} — ${localTime(v.upload_completed_at)} `,
                ok ? el("a", { href: `/receipt?version=${encodeURIComponent(v.id)}` }, t("receipt")) : null);
            }))) : null);
      })));
  }
});
