// A modal question before an action that cannot be undone. The native <dialog> keeps focus
// inside it, closes on Escape and gives focus back to the button that opened it.
import { el } from "./dom.js";
import { t } from "./i18n.js";

/**
 * Asks `question`; resolves true when the person confirms, false when they cancel.
 * With `typed`, the confirm button stays disabled until that text (e.g. the person's name) is
 * typed, ignoring case and surrounding spaces: a reason typed in a hurry is not a confirmation.
 */
export function confirmAction({ id, title, question, typed = null, yes, danger = true }) {
  return new Promise((resolve) => {
    const yesButton = el("button", { type: "button", class: danger ? "danger" : "primary", id: `${id}-yes` }, yes);
    const noButton = el("button", { type: "button", class: "secondary", id: `${id}-no` }, t("cancel"));
    const input = typed === null ? null
      : el("input", { type: "text", id: `${id}-typed`, autocomplete: "off", spellcheck: "false" });
    const matches = () => !input || input.value.trim().toLowerCase() === typed.trim().toLowerCase();
    const dialog = el("dialog", { class: "confirm-dialog", id, "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-question` },
      el("h2", { id: `${id}-title` }, title),
      el("p", { id: `${id}-question` }, question),
      input ? [el("label", { for: input.id }, t("confirm_type_name", { name: typed })), input] : null,
      el("div", { class: "confirm-actions" }, yesButton, noButton));
    let answer = false;
    yesButton.disabled = !matches();
    input?.addEventListener("input", () => { yesButton.disabled = !matches(); });
    yesButton.addEventListener("click", () => { if (matches()) { answer = true; dialog.close(); } });
    noButton.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => { dialog.remove(); resolve(answer); });
    document.body.append(dialog);
    dialog.showModal();
    (input || noButton).focus();
  });
}
