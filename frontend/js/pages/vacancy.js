import { get, ProblemError, send, upload } from "../api.js";
import { acceptedWithWarnings, checklist, underChecklist, verdictBadge } from "../checklist.js";
import { alertBox, clear, el, noticeBox, param } from "../dom.js";
import { bytes, pick, pickField, t } from "../i18n.js";
import { basename, precheck } from "../precheck.js";
import { countdown, frame, localTime, problemText, showError } from "../layout.js";
import { deadlineTime } from "../when.js";

// Phones and tablets have no files to drag: they are told to choose one.
const touch = () => window.matchMedia?.("(pointer: coarse), (max-width: 600px)").matches;

function downloadLink(version, docTitle) {
  return el("a", { class: "download", href: `/api/versions/${encodeURIComponent(version.id)}/file`, download: "",
    "aria-label": t("download_label", { doc: docTitle, name: version.original_filename }) }, t("download_file"));
}

function versionsList(docView, kept) {
  if (!docView.versions.length) return el("p", { class: "muted" }, t("no_versions"));
  const sorted = [...docView.versions].sort((a, b) => b.version - a.version);
  // The server's limit: an upload beyond it deletes the oldest replaced versions.
  const keptNote = kept ? el("p", { class: "muted versions-kept" }, t("versions_kept", { n: kept })) : null;
  return el("div", { class: "versions" }, el("h4", {}, t("versions")), el("ul", {}, sorted.map((v) => {
    const ok = v.verdict?.verdict === "accept";
    return el("li", { class: v.id === docView.current?.id ? "current" : null },
      verdictBadge(v.verdict), " ",
      el("strong", {}, t("version_n", { n: v.version })), ` — ${v.original_filename} — ${bytes(v.size_bytes)} — ${localTime(v.upload_completed_at)} `,
      v.id === docView.current?.id ? el("em", {}, `(${t("current")}) `) : null,
      ok ? el("a", { href: `/receipt?version=${encodeURIComponent(v.id)}` }, t("receipt")) : null,
      v.id === docView.current?.id ? [" · ", downloadLink(v, pickField(docView))] : null);
  })), keptNote);
}

/** The refused attempts the server keeps for this document, newest first, each with its
 *  checklist. A refusal newer than the current version is shown open: after a reload or a change
 *  of language the candidate finds the fix again, drawn from the stored verdict in the page's
 *  language. */
function refusedList(docView, justShown) {
  const refused = docView.refused || [];
  if (!refused.length) return null;
  const currentAt = docView.current ? Date.parse(docView.current.upload_completed_at) : 0;
  // Just refused: its checklist is already drawn above, with the picture of the pages.
  const latestOpen = !justShown && Date.parse(refused[0].at) > currentAt;
  return el("div", { class: "refused", id: `refused-${docView.kind}` },
    el("h4", {}, t("refused_attempts", { n: refused.length })),
    latestOpen ? el("p", { class: "muted" }, t(docView.current ? "refused_latest_kept" : "refused_latest")) : null,
    el("ul", {}, refused.map((a, i) => el("li", {}, el("details", { class: "refused-attempt", open: i === 0 && latestOpen },
      el("summary", {}, verdictBadge(a.verdict), " ",
        el("strong", {}, a.original_filename ? basename(a.original_filename) : t("refused_unnamed")),
        ` — ${bytes(a.size_bytes)} — ${localTime(a.at)}`),
      checklist(a.verdict))))));
}

/** A random key for one choice of file. `crypto.getRandomValues` also works on plain-HTTP
 * pages (an intranet), where `crypto.randomUUID` does not exist. */
function attemptKey() {
  const random = crypto.getRandomValues(new Uint8Array(16));
  return "choice-" + Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Milliseconds without progress or answer after which an upload offers retry and cancel. */
const stallMs = () => Number(document.documentElement.dataset.uploadStallMs) || 60000;

/** Watches one request: `poke()` on every sign of life; after STALL_MS without one, a box in
 *  `status` offers to try again or cancel (each aborts `controller` with that reason). */
function watchdog(status, controller) {
  let timer = null;
  let box = null;
  const hide = () => { box?.remove(); box = null; };
  const show = () => {
    box = el("div", { class: "alert stalled", role: "alert" },
      el("p", {}, t("upload_stalled", { s: Math.round(stallMs() / 1000) })),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", "data-action": "retry", onclick: () => controller.abort("retry") }, t("try_again")),
        el("button", { type: "button", class: "link", "data-action": "cancel", onclick: () => controller.abort("cancel") }, t("upload_cancel"))));
    status.append(box);
    box.querySelector("button").focus();
  };
  const poke = () => { hide(); clearTimeout(timer); timer = setTimeout(show, stallMs()); };
  poke();
  return { poke, stop: () => { clearTimeout(timer); hide(); } };
}

function uploadArea(application, doc, reference, onOutcome) {
  const id = `file-${doc.kind}`;
  const status = el("div", { class: "upload-status", "aria-live": "polite" });
  const bar = el("progress", { id: `progress-${doc.kind}`, max: "100", value: "0" });
  const barText = el("span", { class: "progress-text" });
  const progress = el("div", { class: "progress", hidden: true }, el("label", { for: `progress-${doc.kind}` }, t("uploading")), bar, barText);
  // A real file input, visually replaced by its label so that the button speaks the page's
  // language; it stays focusable and opens with Enter or Space like any file input.
  const input = el("input", { type: "file", id, class: "file-input", accept: (doc.formats || []).map((f) => "." + f).join(","), "aria-describedby": `rule-${doc.kind}` });
  const chosenName = el("span", { class: "file-name", "aria-hidden": "true" }, t("no_file"));
  const zone = el("div", { class: "dropzone" },
    el("p", { "aria-hidden": "true", class: "drop-icon" }, "⇪"),
    el("p", {}, t(touch() ? "drop_here_touch" : "drop_here")),
    input,
    el("label", { for: id, class: "file-label button primary" }, `${t("choose_file")} (${(doc.formats || []).map((f) => "." + f).join(", ")})`),
    chosenName);
  let busy = false;

  // Sends `file` under `key`, the name of this one choice of file: a retry after a lost
  // connection reuses it (the server then answers with what the first try stored, never twice),
  // and every new choice gets a new one. A key made from the file's name and size once made the
  // server replay an earlier draft as "accepted" when a candidate went back to it.
  async function go(file, key) {
    if (busy) return;
    busy = true;
    lastFile = file;
    lastKey = key;
    clear(status);
    progress.hidden = false;
    bar.value = 0;
    barText.textContent = t("upload_progress", { pct: 0 });
    input.disabled = true;
    const path = `/api/applications/${encodeURIComponent(application.id)}/documents/${encodeURIComponent(doc.kind)}`;
    // A request that stops moving (nothing sent for STALL_MS, or no answer STALL_MS after the
    // last byte) offers "try again" (the same file under the same key: never stored twice) and
    // "cancel" (the file stays chosen, to send again). The server answers in about a second even
    // at a rush; a minute of silence means the network or the server is stuck.
    const sendOnce = (signal, poke) => upload(path, file,
      (p) => { poke(); bar.value = Math.round(p * 100); barText.textContent = t("upload_progress", { pct: Math.round(p * 100) }); },
      key, () => { poke(); barText.textContent = t("processing"); }, signal);
    try {
      let answer;
      for (let attempt = 1; ; attempt++) {
        const controller = new AbortController();
        const watch = watchdog(status, controller);
        try { answer = await sendOnce(controller.signal, watch.poke); break; } catch (e) {
          if (e.message === "cancel") throw e;
          // The candidate asked for a new try: it does not count against the automatic ones.
          if (e.message === "retry") { attempt = 0; barText.textContent = t("upload_sending_again"); continue; }
          if (attempt >= 3) throw e;
          barText.textContent = t("upload_retrying");
          await new Promise((r) => setTimeout(r, 1000 * attempt));
        } finally { watch.stop(); }
      }
      const { status: code, body } = answer;
      progress.hidden = true;
      const accepted = code === 201 || code === 200;
      if (accepted) {
        const receipt = el("a", { href: `/receipt?version=${encodeURIComponent(body.version.id)}`, class: "receipt-link" }, t("see_receipt"));
        const warned = acceptedWithWarnings(body.verdict);
        const said = body.unchanged ? t("upload_unchanged", { n: body.current_version })
          : body.replayed && body.version.version !== body.current_version
            ? t("upload_replayed", { v: body.version.version, n: body.current_version })
            : t(warned ? "accepted_version_warn" : "accepted_version", { n: body.current_version ?? body.version.version });
        const box = noticeBox(said, " ", receipt);
        if (warned) box.classList.add("warn");
        status.append(box);
      } else if (body.verdict) {
        status.append(alertBox(t("rejected")));
      } else if (code === 413) {
        status.append(alertBox(body.type ? problemText(new ProblemError(body, code)) : t("pre_size", { size: bytes(file.size), max: bytes(doc.max_bytes) })));
      } else {
        status.append(alertBox(problemText(new ProblemError(body, code))));
        // The server was busy or failed: the same file can go again from here, under its key.
        if (code >= 500 || code === 429 || code === 408) status.append(retryButton());
      }
      if (body.verdict) status.append(checklist(body.verdict));
      if (body.verdict || body.inspection) status.append(underChecklist(body.inspection, doc.max_pages));
      // Accepted: show the new version. Refused: list the attempt with the ones kept before.
      // Deadline passed: the page becomes read-only.
      if (accepted || body.verdict || body.type === "/problems/deadline-passed") onOutcome({ kind: doc.kind, node: status });
    } catch (e) {
      progress.hidden = true;
      clear(status);
      if (e.message === "cancel") status.append(noticeBox(t("upload_cancelled", { name: basename(file.name) })));
      else showError(status, e);
      status.append(retryButton());
    } finally {
      busy = false;
      input.disabled = false;
      input.value = "";
    }
  }

  // The same file under the same key: if a try did reach the server, it is not stored twice.
  function retryButton() {
    return el("button", { type: "button", class: "secondary", id: `retry-${doc.kind}`, onclick: () => go(lastFile, lastKey) }, t("try_again"));
  }
  let lastFile = null, lastKey = null;

  function chosen(file) {
    if (!file || busy) return;
    chosenName.textContent = basename(file.name);
    const problems = precheck(file, doc, reference);
    const key = attemptKey();
    clear(status);
    if (!problems.length) { go(file, key); return; }
    const anyway = el("button", { type: "button", class: "secondary", id: `anyway-${doc.kind}`, onclick: () => go(file, key) }, t("upload_anyway"));
    const cancel = el("button", { type: "button", class: "link", onclick: () => { clear(status); input.value = ""; input.focus(); } }, t("cancel"));
    status.append(el("div", { class: "alert", role: "alert" },
      el("p", {}, el("strong", {}, t("precheck_failed")), ` ${basename(file.name)}`),
      el("ul", {}, problems.map((p) => el("li", {}, p))),
      el("p", { class: "small" }, t("precheck_note")),
      el("div", { class: "actions" }, anyway, cancel)));
  }

  input.addEventListener("change", () => chosen(input.files[0]));
  zone.addEventListener("dragenter", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", (e) => { if (!zone.contains(e.relatedTarget)) zone.classList.remove("over"); });
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); chosen(e.dataTransfer?.files?.[0]); });
  return el("div", { class: "upload" }, zone, progress, status);
}

function applyForm(vacancy, onApplied) {
  const form = el("form", { id: "apply-form", novalidate: true });
  if (vacancy.posts.length > 1) {
    form.append(el("fieldset", {}, el("legend", {}, t("posts")),
      vacancy.posts.map((p, i) => el("div", { class: "check" }, el("input", { type: "checkbox", name: "post", value: p, id: `post-${i}` }), el("label", { for: `post-${i}`, lang: "en" }, p)))));
  }
  if (vacancy.eligibility?.length) {
    form.append(el("fieldset", {}, el("legend", {}, t("eligibility")),
      vacancy.eligibility.map((e, i) => el("div", { class: "check" }, el("input", { type: "checkbox", name: "affirm", value: e.id, id: `affirm-${i}` }), el("label", { for: `affirm-${i}` }, pick(e.text))))));
  }
  const error = el("div", { class: "form-error" });
  form.append(el("button", { type: "submit", class: "primary", id: "apply" }, t("apply")), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(error);
    const posts = [...form.querySelectorAll("input[name=post]:checked")].map((i) => i.value);
    const affirmations = [...form.querySelectorAll("input[name=affirm]:checked")].map((i) => i.value);
    if (vacancy.posts.length > 1 && !posts.length) { error.append(alertBox(t("posts_required"))); form.querySelector("input[name=post]").focus(); return; }
    if (affirmations.length < (vacancy.eligibility?.length || 0)) {
      error.append(alertBox(t("eligibility_required")));
      form.querySelector("input[name=affirm]:not(:checked)").focus();
      return;
    }
    try {
      await send("POST", `/api/vacancies/${encodeURIComponent(vacancy.reference)}/application`, { posts, affirmations });
      await onApplied();
    } catch (e) { showError(error, e); }
  });
  return form;
}

// A file dropped beside the drop zone must not make the browser leave the page.
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => e.preventDefault());

frame(async (main, s) => {
  const reference = param("ref");
  if (!reference) { location.href = "/"; return; }
  let vacancy = await get(`/api/vacancies/${encodeURIComponent(reference)}`);
  // Open for this reader: the candidate's own deadline (an extension keeps it open for them),
  // else the vacancy's. The grace period is never shown: it only serves uploads already begun.
  const isOpen = () => (vacancy.you ? vacancy.you.open : vacancy.accepting);
  const badge = el("span", { class: "badge" });
  const drawBadge = () => {
    badge.className = `badge ${isOpen() ? "ok" : "neutral"}`;
    badge.textContent = t(isOpen() ? "status_open" : "status_closed");
  };
  drawBadge();
  main.append(el("p", { class: "eyebrow" }, `${t("reference")} ${vacancy.reference}`, badge));
  main.append(el("h1", {}, pickField(vacancy)));
  const area = el("section", { class: "card", id: "application", "aria-labelledby": "application-title" });

  const own = vacancy.you?.extended ? vacancy.you : null;
  const deadline = own ? own.deadline : vacancy.deadline;
  if (deadline) {
    const clock = el("span", { class: "countdown" });
    main.append(el("dl", { class: "deadline card" },
      el("div", {}, el("dt", {}, t("deadline_zone")), el("dd", {}, pick(vacancy.deadline_display))),
      own ? el("div", { class: "extended" }, el("dt", {}, t("your_deadline")),
        el("dd", { id: "own-deadline" }, t("extended_until", { when: pick(own.deadline_display) }))) : null,
      el("div", {}, el("dt", {}, t("your_time")), el("dd", {}, deadlineTime(deadline))),
      el("div", {}, el("dt", {}, t("time_left")), el("dd", {}, clock))));
    if (isOpen()) {
      // At the deadline the page asks the server again: it decides, by its own clock.
      countdown(clock, deadline, async () => {
        try { vacancy = await get(`/api/vacancies/${encodeURIComponent(reference)}`); } catch { vacancy = { ...vacancy, accepting: false, you: vacancy.you && { ...vacancy.you, open: false } }; }
        drawBadge();
        render();
      });
    } else {
      clock.textContent = t("closed");
      clock.classList.add("is-closed");
    }
  }
  if (vacancy.key_challenges?.length) {
    main.append(el("section", { class: "card" }, el("h2", {}, t("key_challenges")), el("ol", { class: "challenges", lang: "en" }, vacancy.key_challenges.map((c) => el("li", {}, c)))));
  }
  // A vacancy that asks for no document has no card of documents to upload.
  if (vacancy.documents?.length) main.append(el("section", { class: "card" }, el("h2", {}, t("documents")), vacancy.documents.map((d) => el("div", { class: "doc-rule" },
    el("h3", {}, pickField(d)), el("p", { id: `rule-${d.kind}` }, pick(d.rule_text)),
    (d.formats || []).includes("docx") ? el("p", { class: "template" }, el("a", {
      href: `/api/vacancies/${encodeURIComponent(vacancy.reference)}/documents/${encodeURIComponent(d.kind)}/template.docx`,
      download: "", "data-kind": d.kind, class: "template-link", "aria-label": t("template_label", { doc: pickField(d) }),
    }, t("template_link"))) : null))));
  main.append(area);
  if (vacancy.notice_text) {
    main.append(el("details", { class: "card notice-text" }, el("summary", {}, t("notice")), el("div", { class: "pre", lang: "en" }, vacancy.notice_text)));
  }

  async function render(outcome) {
    const account = s.account;
    const nodes = [];
    if (account?.role !== "candidate") {
      const here = encodeURIComponent(location.pathname + location.search);
      nodes.push(el("h2", { id: "application-title" }, t("apply")));
      if (!isOpen()) nodes.push(el("p", { class: "closed-notice" }, t("closed_notice")));
      else if (!account) {
        nodes.push(el("p", {}, el("a", { href: `/login?next=${here}`, id: "login-to-apply" }, t("login_to_apply"))),
          el("p", {}, el("a", { href: `/register?next=${here}`, id: "register-to-apply" }, t("register_to_apply"))));
      } else nodes.push(el("p", {}, t("login_to_apply")));
      clear(area).append(...nodes);
      return;
    }
    const all = (await get("/api/applications")).filter((a) => a.reference === vacancy.reference);
    const mine = all.find((a) => a.status === "active");
    if (!mine) {
      nodes.push(el("h2", { id: "application-title" }, t("apply")));
      const withdrawn = all.find((a) => a.status === "withdrawn");
      if (withdrawn) nodes.push(el("p", { class: "muted" }, withdrawn.withdrawn_at ? t("withdrawn_on", { when: localTime(withdrawn.withdrawn_at) }) : t("withdrawn_notice")));
      if (!isOpen()) nodes.push(el("p", { class: "closed-notice" }, t("closed_notice")));
      else nodes.push(applyForm(vacancy, () => render()));
      clear(area).append(...nodes);
      return;
    }
    nodes.push(el("h2", { id: "application-title" }, t("upload_title")));
    if (mine.read_only) nodes.push(el("div", { class: "alert", role: "status" }, t("read_only")));
    else nodes.push(el("p", {}, t("applied")));
    if (!mine.documents.length) nodes.push(el("p", { class: "muted", id: "no-documents" }, t("no_documents")));
    if (mine.posts?.length && vacancy.posts.length > 1) nodes.push(el("p", { class: "muted" }, `${t("posts")}: ${mine.posts.join(" · ")}`));
    for (const docView of mine.documents) {
      const doc = vacancy.documents.find((d) => d.kind === docView.kind) || { kind: docView.kind, formats: [] };
      const block = el("section", { class: "doc", "data-kind": docView.kind }, el("h3", {}, pickField(docView)));
      if (!mine.read_only) block.append(uploadArea(mine, doc, vacancy.reference, render));
      if (outcome?.kind === docView.kind) block.append(outcome.node);
      block.append(versionsList(docView, mine.versions_kept));
      const refused = refusedList(docView, outcome?.kind === docView.kind);
      if (refused) block.append(refused);
      nodes.push(block);
    }
    if (!mine.read_only) {
      const confirmBox = el("div", { class: "confirm", hidden: true, role: "alertdialog", "aria-labelledby": "withdraw-q" },
        el("p", { id: "withdraw-q" }, t("withdraw_confirm")));
      const withdraw = el("button", { type: "button", class: "danger", id: "withdraw", onclick: () => { confirmBox.hidden = false; withdraw.hidden = true; confirmBox.querySelector("button").focus(); } }, t("withdraw"));
      const out = el("div");
      confirmBox.append(el("div", { class: "actions" },
        el("button", { type: "button", class: "danger", id: "withdraw-yes", onclick: async () => {
          try { await send("POST", `/api/applications/${encodeURIComponent(mine.id)}/withdraw`, {}); await render(); } catch (e) { showError(out, e); }
        } }, t("withdraw_yes")),
        el("button", { type: "button", class: "link", onclick: () => { confirmBox.hidden = true; withdraw.hidden = false; withdraw.focus(); } }, t("cancel"))));
      nodes.push(el("div", { class: "withdraw" }, withdraw, confirmBox, out));
    }
    clear(area).append(...nodes);
  }
  await render();
});
