// Instants as a candidate reads them, in the page's language, to the second where it matters.
import { locale } from "./i18n.js";

/** Whether the instant's seconds change its meaning: not :00, and not the :59 of a deadline
 *  meant as "until the end of that minute" (the server's own rule, policy/src/deadline.rs). */
function secondsMatter(date) {
  const s = date.getUTCSeconds();
  return s !== 0 && s !== 59;
}

function format(iso, seconds, timeZone) {
  const options = { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  if (seconds) options.second = "2-digit";
  if (timeZone) options.timeZone = timeZone;
  try { return new Date(iso).toLocaleString(locale(), options); } catch { return new Date(iso).toLocaleString(locale(), { ...options, timeZone: undefined }); }
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
