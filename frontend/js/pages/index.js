import { get } from "../api.js";
import { el } from "../dom.js";
import { pick, pickField, t } from "../i18n.js";
import { countdown, frame } from "../layout.js";
import { deadlineTime } from "../when.js";

frame(async (main) => {
  main.append(el("h1", {}, t("vacancies_title")), el("p", { class: "lead" }, t("vacancies_intro")));
  const vacancies = await get("/api/vacancies");
  if (!vacancies.length) { main.append(el("p", { class: "card" }, t("no_vacancies"))); return; }
  const list = el("ul", { class: "vacancies" });
  for (const v of vacancies) {
    const clock = el("span", { class: "countdown" });
    const href = `/vacancy?ref=${encodeURIComponent(v.reference)}`;
    // The reader's own deadline when an extension moved it; open for them or not.
    const own = v.you?.extended ? v.you : null;
    const open = v.you ? v.you.open : v.accepting;
    const deadline = own ? own.deadline : v.deadline;
    const badge = el("span", { class: `badge ${open ? "ok" : "neutral"}` }, t(open ? "status_open" : "status_closed"));
    list.append(el("li", { class: `card vacancy${open ? "" : " is-closed"}`, "data-reference": v.reference },
      el("p", { class: "eyebrow" }, `${t("reference")} ${v.reference}`, badge),
      el("h2", {}, el("a", { href }, pickField(v))),
      deadline ? el("dl", { class: "deadline" },
        el("div", {}, el("dt", {}, t("deadline_zone")), el("dd", {}, pick(v.deadline_display))),
        own ? el("div", { class: "extended" }, el("dt", {}, t("your_deadline")), el("dd", {}, t("extended_until", { when: pick(own.deadline_display) }))) : null,
        el("div", {}, el("dt", {}, t("your_time")), el("dd", {}, deadlineTime(deadline))),
        el("div", {}, el("dt", {}, t("time_left")), el("dd", {}, clock))) : null,
      el("p", { class: "more" }, el("a", { href, "aria-label": `${t("view")}: ${pickField(v)}` }, `${t("view")} →`))));
    if (deadline && open) {
      countdown(clock, deadline, () => {
        badge.className = "badge neutral";
        badge.textContent = t("status_closed");
      });
    } else {
      clock.textContent = t("closed");
      clock.classList.add("is-closed");
    }
  }
  main.append(list);
});
