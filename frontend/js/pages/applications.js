import { get } from "../api.js";
import { el } from "../dom.js";
import { lang, t } from "../i18n.js";
import { frame, localTime } from "../layout.js";

frame(async (main, s) => {
  if (s.account?.role !== "candidate") { location.href = "/login"; return; }
  main.append(el("h1", {}, t("my_applications")));
  const apps = await get("/api/applications");
  if (!apps.length) main.append(el("p", {}, t("none_yet")));
  for (const a of apps) {
    main.append(el("section", { class: "card" },
      el("h2", {}, el("a", { href: `/vacancy?ref=${encodeURIComponent(a.reference)}` }, `${lang() === "fr" ? a.title_fr : a.title_en} (${a.reference})`)),
      a.status === "withdrawn" ? el("p", {}, t("withdrawn")) : null,
      a.documents.map((d) => el("div", {}, el("h3", {}, lang() === "fr" ? d.title_fr : d.title_en),
        el("ul", {}, d.versions.map((v) => el("li", {}, `v${v.version} — ${v.original_filename} — ${localTime(v.upload_completed_at)} `,
          v.id === d.current?.id ? `(${t("current")}) ` : "", el("a", { href: `/receipt?version=${v.id}` }, t("receipt")))))))));
  }
});
