// The mail the portal sends: every message type in both languages with sample data, as this
// deployment's templates render it.
import { get } from "../api.js";
import { el } from "../dom.js";
import { addTables, t } from "../i18n.js";
import { frame } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import mailTables from "../i18n/mail.js";

addTables(mailTables);

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  main.append(adminNav(), el("h1", {}, t("mail_preview_title")), el("p", { class: "lead" }, t("mail_preview_lead")));
  const previews = await get("/api/admin/mail/templates");
  for (const p of previews) {
    main.append(el("section", { class: "card mail-preview", "data-kind": p.kind },
      el("h2", {}, t(`mail_kind_${p.kind}`)),
      el("p", { class: "hint" }, t("mail_preview_files", { files: p.files.join(", ") })),
      p.overridden.length ? el("p", { class: "hint overridden" }, t("mail_preview_overridden", { files: p.overridden.join(", ") })) : null,
      ["en", "fr"].map((code) => el("div", { class: "mail-message", lang: code },
        el("h3", {}, t(`mail_lang_${code}`)),
        el("p", {}, el("strong", {}, `${t("mail_preview_subject")} — `), p[code].subject),
        el("pre", { class: "mail-body" }, p[code].body)))));
  }
});
