// What the panel is told about an essay: an advisory rule the file did not meet, or a sign that
// it may name its author. Worded for assessors (the candidate's message is an instruction to the
// candidate), in the page's language from the rule and its values.
import { el } from "./dom.js";
import { addTables, lang, t } from "./i18n.js";
import { ruleName, valueText } from "./checklist.js";
import assessTables from "./i18n/assess.js";

addTables(assessTables);

export function flagText(f) {
  if (f.rule) {
    return t("as_flag_advisory", { rule: ruleName(f.rule), expected: valueText(f.expected_value), found: valueText(f.found_value) });
  }
  if (lang() === "fr" && f.message_fr) return f.message_fr;
  return lang() === "fr" ? el("span", { lang: "en" }, f.message) : f.message;
}
