import { get, send, upload, ProblemError } from "../api.js";
import { checklist, pagesPicture } from "../checklist.js";
import { alertBox, clear, el, noticeBox, param } from "../dom.js";
import { lang, pick, t } from "../i18n.js";
import { countdown, frame, localTime } from "../layout.js";

// The same file-name rule the server applies, to warn before sending (the server still judges).
function tokens(name) {
  const base = name.split(/[\\/]/).pop().normalize("NFC").toLowerCase();
  return base.split(/[\s_.\-]+/).filter(Boolean);
}
function containsRun(haystack, needle) {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, j) => haystack[i + j] === w)) return true;
  }
  return false;
}
function precheck(file, doc, reference) {
  const problems = [];
  const ext = (file.name.split(".").pop() || "").toLowerCase();
  if (doc.formats.length && !doc.formats.includes(ext)) problems.push(`.${ext} → ${doc.formats.map((f) => "." + f).join(", ")}`);
  if (file.size > doc.max_bytes) problems.push(`${Math.round(file.size / 1024)} kB > ${Math.round(doc.max_bytes / 1024)} kB`);
  const words = tokens(file.name);
  const needsRef = doc.filename_must_include_reference && !words.includes(reference.toLowerCase());
  const phrase = doc.filename_phrase ? tokens(doc.filename_phrase) : [];
  if (needsRef || (phrase.length && !containsRun(words, phrase))) problems.push(`→ “${doc.suggested_filename}”`);
  return problems;
}

function uploadArea(application, doc, vacancy, refresh) {
  const status = el("div", { "aria-live": "polite" });
  const bar = el("progress", { max: "1", value: "0", hidden: true, "aria-label": t("uploading") });
  const input = el("input", { type: "file", id: `file-${doc.kind}`, accept: doc.formats.map((f) => "." + f).join(",") });
  const zone = el("div", { class: "dropzone" }, el("p", {}, t("drop_here")), el("label", { for: `file-${doc.kind}` }, t("choose_file")), input);
  let pending = null;

  async function go(file) {
    clear(status);
    bar.hidden = false;
    bar.value = 0;
    const key = `${application.id}-${doc.kind}-${file.name}-${file.size}-${file.lastModified}`;
    try {
      const { status: code, body } = await upload(`/api/applications/${application.id}/documents/${doc.kind}`, file, (p) => { bar.value = p; }, key);
      bar.hidden = true;
      const verdict = body.verdict;
      const facts = body.inspection;
      if (code === 201 || code === 200) status.append(noticeBox(t("accepted")), el("p", {}, el("a", { href: `/receipt?version=${body.version.id}` }, t("see_receipt"))));
      else if (verdict) status.append(alertBox(t("rejected")));
      else status.append(alertBox(body.detail || t("error")));
      if (verdict) status.append(checklist(verdict));
      if (facts) status.append(pagesPicture(facts, doc.max_pages));
      // Re-render the application (new version, history) and keep this outcome on screen.
      if (code === 201 || code === 200) refresh({ kind: doc.kind, node: status });
    } catch (e) {
      bar.hidden = true;
      status.append(alertBox(t("error")));
    }
  }

  function chosen(file) {
    if (!file) return;
    const problems = precheck(file, doc, vacancy.reference);
    clear(status);
    if (problems.length) {
      pending = file;
      status.append(el("div", { class: "alert", role: "alert" }, el("p", {}, t("precheck_failed")), el("ul", {}, problems.map((p) => el("li", {}, p)))),
        el("button", { type: "button", class: "secondary", id: `anyway-${doc.kind}`, onclick: () => go(pending) }, t("upload_anyway")));
    } else {
      go(file);
    }
  }

  input.addEventListener("change", () => chosen(input.files[0]));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); chosen(e.dataTransfer.files[0]); });
  return el("div", {}, zone, bar, status);
}

function versionsList(docView) {
  if (!docView.versions.length) return null;
  return el("div", {}, el("h4", {}, t("versions")), el("ul", {}, docView.versions.map((v) =>
    el("li", {}, `v${v.version} — ${v.original_filename} — ${localTime(v.upload_completed_at)} `, v.id === docView.current?.id ? `(${t("current")}) ` : "",
      el("a", { href: `/receipt?version=${v.id}` }, t("receipt"))))));
}

frame(async (main, s) => {
  const reference = param("ref");
  const vacancy = await get(`/api/vacancies/${encodeURIComponent(reference)}`);
  const title = lang() === "fr" ? vacancy.title_fr : vacancy.title_en;
  const clock = el("span", { class: "countdown" });
  main.append(el("h1", {}, `${title} (${vacancy.reference})`));
  if (vacancy.deadline) {
    main.append(el("p", {}, `${t("deadline")} ${pick(vacancy.deadline_display)} — ${localTime(vacancy.deadline)} (${t("your_time")}). `, clock));
    countdown(clock, vacancy.deadline);
  }
  if (vacancy.key_challenges.length) main.append(el("section", { class: "card" }, el("h2", {}, t("key_challenges")), el("ol", {}, vacancy.key_challenges.map((c) => el("li", {}, c)))));
  main.append(el("section", { class: "card" }, el("h2", {}, t("documents")), vacancy.documents.map((d) => el("div", {}, el("h3", {}, lang() === "fr" ? d.title_fr : d.title_en), el("p", {}, pick(d.rule_text))))));
  const area = el("section", { class: "card", id: "application" });
  main.append(area);

  async function render(outcome) {
    clear(area);
    if (s.account?.role !== "candidate") { area.append(el("p", {}, el("a", { href: "/login" }, t("login_to_apply")))); return; }
    const mine = (await get("/api/applications")).find((a) => a.reference === vacancy.reference && a.status === "active");
    if (!mine) {
      const form = el("form", {});
      if (vacancy.posts.length > 1) form.append(el("fieldset", {}, el("legend", {}, t("posts")), vacancy.posts.map((p, i) => el("label", {}, el("input", { type: "checkbox", name: "post", value: p, id: `post-${i}` }), " ", p))));
      if (vacancy.eligibility.length) form.append(el("fieldset", {}, el("legend", {}, t("eligibility")), vacancy.eligibility.map((e) => el("label", {}, el("input", { type: "checkbox", name: "affirm", value: e.id }), " ", pick(e.text)))));
      const error = el("div", { "aria-live": "assertive" });
      form.append(el("button", { type: "submit", class: "primary", id: "apply" }, t("apply")), error);
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        clear(error);
        const posts = [...form.querySelectorAll("input[name=post]:checked")].map((i) => i.value);
        const affirmations = [...form.querySelectorAll("input[name=affirm]:checked")].map((i) => i.value);
        try { await send("POST", `/api/vacancies/${encodeURIComponent(vacancy.reference)}/application`, { posts, affirmations }); await render(); }
        catch (e) { error.append(alertBox(e instanceof ProblemError ? e.message : t("error"))); }
      });
      area.append(el("h2", {}, t("apply")), form);
      return;
    }
    area.append(el("h2", {}, t("upload_title")), el("p", {}, t("applied")));
    if (mine.read_only) area.append(alertBox(t("read_only")));
    for (const docView of mine.documents) {
      const doc = vacancy.documents.find((d) => d.kind === docView.kind);
      area.append(el("h3", {}, lang() === "fr" ? docView.title_fr : docView.title_en));
      if (!mine.read_only) area.append(uploadArea(mine, doc, vacancy, render));
      if (outcome?.kind === docView.kind) area.append(outcome.node);
      area.append(versionsList(docView));
    }
    if (!mine.read_only) {
      area.append(el("button", { type: "button", class: "secondary", onclick: async () => { await send("POST", `/api/applications/${mine.id}/withdraw`, {}); render(); } }, t("withdraw")));
    }
  }
  await render();
});
