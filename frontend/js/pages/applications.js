import { get, send } from "../api.js";
import { clear, el, noticeBox } from "../dom.js";
import { addTables, bytes, pick, pickField, t } from "../i18n.js";
import { pagesText, verdictBadge } from "../checklist.js";
import { countdown, frame, localTime, showError } from "../layout.js";
import { deadlineTime, passed } from "../when.js";
import mailTables from "../i18n/mail.js";

addTables(mailTables);

/** The application's state, as a badge and the sentence that goes with it. */
function state(a) {
  if (a.status !== "active") {
    // Withdrawn: said so, and before the deadline a way back to the vacancy to apply again.
    const again = a.deadline && !passed(a.deadline)
      ? el("a", { href: `/vacancy?ref=${encodeURIComponent(a.reference)}`, class: "apply-again" }, t("apply_again")) : null;
    return { badge: el("span", { class: "badge neutral" }, t("withdrawn_short")),
      text: el("p", { class: "muted state" }, a.withdrawn_at ? t("withdrawn_on", { when: localTime(a.withdrawn_at) }) : t("withdrawn_notice"), again ? [" ", again] : null) };
  }
  if (a.read_only) return { badge: el("span", { class: "badge neutral" }, t("status_closed")), text: el("p", { class: "muted state" }, t("read_only")) };
  if (a.incomplete) {
    const titles = a.documents.filter((d) => a.missing.includes(d.kind)).map((d) => `“${pickField(d)}”`);
    return { badge: el("span", { class: "badge bad" }, t("status_incomplete")),
      text: el("p", { class: "state incomplete" }, t("incomplete_text", { docs: titles.join(` ${t("and")} `) })) };
  }
  return { badge: el("span", { class: "badge ok" }, t("status_complete")), text: null };
}

frame(async (main, s) => {
  if (s.account?.role !== "candidate") { location.href = "/login?next=/applications"; return; }
  main.append(el("h1", {}, t("my_applications")));
  const apps = await get("/api/applications");
  if (!apps.length) { main.append(el("p", { class: "card" }, t("none_yet"), " ", el("a", { href: "/" }, t("nav_vacancies")))); return; }
  for (const a of apps) {
    const { badge, text } = state(a);
    const clock = el("span", { class: "countdown" });
    const running = a.status === "active" && !a.read_only && a.deadline;
    main.append(el("section", { class: `card application${a.incomplete ? " is-incomplete" : ""}`, "data-reference": a.reference, "data-state": a.status !== "active" ? "withdrawn" : a.incomplete ? "incomplete" : "complete" },
      el("p", { class: "eyebrow" }, `${t("reference")} ${a.reference}`, badge),
      el("h2", {}, el("a", { href: `/vacancy?ref=${encodeURIComponent(a.reference)}` }, pickField(a))),
      text,
      running ? reminderChoice(a) : null,
      a.deadline_display ? el("dl", { class: "deadline" },
        el("div", a.extended ? { class: "extended" } : {}, el("dt", {}, t(a.extended ? "your_deadline" : "deadline_zone")),
          el("dd", {}, a.extended ? t("extended_until", { when: pick(a.deadline_display) }) : pick(a.deadline_display))),
        el("div", {}, el("dt", {}, t("your_time")), el("dd", {}, deadlineTime(a.deadline))),
        running ? el("div", {}, el("dt", {}, t("time_left")), el("dd", {}, clock)) : null) : null,
      a.documents.map((d) => {
        const cur = d.current;
        const history = [...d.versions].sort((x, y) => y.version - x.version);
        return el("div", { class: "doc", "data-kind": d.kind }, el("h3", {}, pickField(d)),
          cur ? el("p", {}, a.status === "active" ? el("span", { class: "badge ok" }, `✓ ${t("current")}`)
            : el("span", { class: "badge neutral" }, t("last_version")), " ",
            `${t("version_n", { n: cur.version })} — ${cur.original_filename} — ${bytes(cur.size_bytes)}${cur.pages ? ` — ${pagesText(cur.pages)}` : ""} — ${localTime(cur.upload_completed_at)} `,
            el("a", { href: `/receipt?version=${encodeURIComponent(cur.id)}` }, t("receipt")), " · ",
            el("a", { class: "download", href: `/api/versions/${encodeURIComponent(cur.id)}/file`, download: "",
              "aria-label": t("download_label", { doc: pickField(d), name: cur.original_filename }) }, t("download_file")))
            : el("p", { class: "muted" }, t("no_versions")),
          history.length ? el("details", {}, el("summary", {}, `${t("versions")} (${history.length})`),
            el("ul", {}, history.map((v) => {
              const ok = v.verdict?.verdict === "accept";
              return el("li", {}, verdictBadge(v.verdict), " ",
                `${t("version_n", { n: v.version })} — ${v.original_filename} — ${localTime(v.upload_completed_at)} `,
                ok ? el("a", { href: `/receipt?version=${encodeURIComponent(v.id)}` }, t("receipt")) : null);
            }))) : null);
      })));
    if (running) countdown(clock, a.deadline);
  }
});

/** "Stop reminders for this vacancy": the reminder mails sent while the application is incomplete. */
function reminderChoice(a) {
  const id = `stop-reminders-${a.id}`;
  const out = el("div", { "aria-live": "polite" });
  const box = el("input", { type: "checkbox", id, class: "stop-reminders", checked: Boolean(a.reminders_stopped) });
  box.addEventListener("change", async () => {
    clear(out);
    try {
      await send("PUT", `/api/applications/${encodeURIComponent(a.id)}/reminders`, { stopped: box.checked });
      out.append(noticeBox(t(box.checked ? "mail_reminders_stopped" : "mail_reminders_resumed")));
    } catch (e) { box.checked = !box.checked; showError(out, e); }
  });
  return el("div", { class: "check reminders" }, box, el("label", { for: id }, t("mail_stop_reminders")), out);
}
