// Instants as a candidate reads them, in the page's language, to the second where it matters.
import { lang, locale } from "./i18n.js";

/** Whether the instant's seconds change its meaning: not :00, and not the :59 of a deadline
 *  meant as "until the end of that minute" (the server's own rule, policy/src/deadline.rs). */
function secondsMatter(date) {
  const s = date.getUTCSeconds();
  return s !== 0 && s !== 59;
}

/**
 * An instant in words, in the page's language: "16 September 2025, 23:59 GMT+2" /
 * "16 septembre 2025, 23 h 59 UTC+2" (French as the server writes it: "1er", "23 h 59",
 * "23 h 59 min 30 s"; docs/glossary.md).
 */
export function format(iso, seconds, timeZone) {
  const options = { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short", hourCycle: "h23" };
  if (seconds) options.second = "2-digit";
  if (timeZone) options.timeZone = timeZone;
  const date = new Date(iso);
  let parts;
  try { parts = new Intl.DateTimeFormat(locale(), options).formatToParts(date); } catch {
    parts = new Intl.DateTimeFormat(locale(), { ...options, timeZone: undefined }).formatToParts(date);
  }
  const part = (type) => parts.find((p) => p.type === type)?.value ?? "";
  const nb = "\u00a0";
  if (lang() === "fr") {
    const day = part("day") === "1" ? "1er" : part("day");
    const time = `${Number(part("hour"))}${nb}h${nb}${part("minute")}${seconds ? `${nb}min${nb}${part("second")}${nb}s` : ""}`;
    return `${day} ${part("month")} ${part("year")}, ${time} ${part("timeZoneName")}`;
  }
  const time = `${part("hour")}:${part("minute")}${seconds ? `:${part("second")}` : ""}`;
  return `${part("day")} ${part("month")} ${part("year")}, ${time} ${part("timeZoneName")}`;
}

/** A deadline in the reader's time zone (or `timeZone`), with seconds only when they matter. */
export function deadlineTime(iso, timeZone) {
  if (!iso) return "—";
  return format(iso, secondsMatter(new Date(iso)), timeZone);
}

/** An instant to the second (an upload's start, a receipt's times), in the reader's zone or `timeZone`. */
export function exactTime(iso, timeZone) {
  if (!iso) return "—";
  return format(iso, true, timeZone);
}

/** Whether `iso` has passed by the server's clock (`offset` = server − device, in ms). */
export function passed(iso, offset = 0) {
  return Boolean(iso) && Date.parse(iso) <= Date.now() + offset;
}
