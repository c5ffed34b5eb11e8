import { get } from "../api.js";
import { el } from "../dom.js";
import { pick, pickField, t } from "../i18n.js";
import { countdown, frame, localTime } from "../layout.js";

frame(async (main) => {
  main.append(el("h1", {}, t("vacancies_title")), el("p", { class: "lead" }, t("vacancies_intro")));
  const vacancies = await get("/api/vacancies");
  if (!vacancies.length) { main.append(el("p", { class: "card" }, t("no_vacancies"))); return; }
  const list = el("ul", { class: "vacancies" });
  for (const v of vacancies) {
    const clock = el("span", { class: "countdown" });
    const href = `/vacancy?ref=${encodeURIComponent(v.reference)}`;
    list.append(el("li", { class: "card vacancy", "data-reference": v.reference },
      el("p", { class: "eyebrow" }, `${t("reference")} ${v.reference}`,
        el("span", { class: `badge ${v.status === "open" ? "ok" : "neutral"}` }, t(`status_${v.status}`))),
      el("h2", {}, el("a", { href }, pickField(v))),
      v.deadline ? el("dl", { class: "deadline" },
        el("div", {}, el("dt", {}, t("deadline_zone")), el("dd", {}, pick(v.deadline_display))),
        el("div", {}, el("dt", {}, t("your_time")), el("dd", {}, localTime(v.deadline))),
        el("div", {}, el("dt", {}, t("time_left")), el("dd", {}, clock))) : null,
      el("p", { class: "more" }, el("a", { href, "aria-label": `${t("view")}: ${pickField(v)}` }, `${t("view")} →`))));
    if (v.deadline && v.status === "open") countdown(clock, v.deadline);
    else clock.textContent = t("closed");
  }
  main.append(list);
});
