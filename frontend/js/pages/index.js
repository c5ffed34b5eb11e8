import { get } from "../api.js";
import { el } from "../dom.js";
import { pick, t, lang } from "../i18n.js";
import { countdown, frame, localTime } from "../layout.js";

frame(async (main) => {
  main.append(el("h1", {}, t("vacancies_title")));
  const vacancies = await get("/api/vacancies");
  if (!vacancies.length) main.append(el("p", {}, t("no_vacancies")));
  for (const v of vacancies) {
    const clock = el("span", { class: "countdown" });
    main.append(el("article", { class: "card" },
      el("h2", {}, el("a", { href: `/vacancy?ref=${encodeURIComponent(v.reference)}` }, `${lang() === "fr" ? v.title_fr : v.title_en} (${v.reference})`)),
      v.deadline ? el("p", {}, `${t("deadline")} ${pick(v.deadline_display)} — ${localTime(v.deadline)} (${t("your_time")}). `, clock) : null,
    ));
    if (v.deadline && v.status === "open") countdown(clock, v.deadline);
    else if (v.status !== "open") clock.textContent = t("closed");
  }
});
