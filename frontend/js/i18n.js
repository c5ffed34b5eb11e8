// All user-facing strings go through t(key, params); the dictionaries live in i18n/en.js and
// i18n/fr.js. The language is the one stored in localStorage, else the browser's.
// Each area of the site keeps its own pair of tables in i18n/<area>.js ({ en, fr }). A module
// that uses an area's keys imports that table and adds it (`addTables`), so a page loads only
// the tables of the modules it uses: a candidate's page none of the staff areas'.
import enBase from "./i18n/en.js";
import frBase from "./i18n/fr.js";

const en = { ...enBase };
const fr = { ...frBase };
export const DICTIONARIES = { en, fr };

/** Adds areas' tables ({ en, fr } each) to the dictionaries; adding one twice changes nothing. */
export function addTables(...areas) {
  for (const area of areas) {
    Object.assign(en, area.en);
    Object.assign(fr, area.fr);
  }
}
export const LANGS = ["en", "fr"];

// A link may carry ?lang=en|fr (e.g. in a notification email); it becomes the stored choice.
try {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl === "en" || fromUrl === "fr") localStorage.setItem("lang", fromUrl);
} catch { /* storage blocked */ }

export function lang() {
  let stored = null;
  try { stored = localStorage.getItem("lang"); } catch { /* storage blocked: fall back */ }
  if (stored === "en" || stored === "fr") return stored;
  return (navigator.language || "en").toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function setLang(value) {
  try { localStorage.setItem("lang", value); } catch { /* storage blocked */ }
}

/** The current language's string for `key`, with `{name}` placeholders filled from params. */
export function t(key, params = {}) {
  const table = DICTIONARIES[lang()] || en;
  let text = table[key] ?? en[key] ?? key;
  for (const [name, value] of Object.entries(params)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

/** Whether the current language's table has `key`. */
export function has(key) {
  return key in (DICTIONARIES[lang()] || en);
}

/** Picks the current language's side of an {en, fr} pair. */
export function pick(pair) {
  if (!pair) return "";
  return pair[lang()] ?? pair.en ?? "";
}

/** Picks `title_en` / `title_fr` (or another `<prefix>_en|fr` pair) of an object. */
export function pickField(object, prefix = "title") {
  if (!object) return "";
  return object[`${prefix}_${lang()}`] || object[`${prefix}_en`] || "";
}

export function locale() { return lang() === "fr" ? "fr-BE" : "en-GB"; }

/** A byte count in words: "2.4 MB", "2,4 Mo". */
export function bytes(n) {
  const num = (x, d) => new Intl.NumberFormat(locale(), { maximumFractionDigits: d }).format(x);
  if (n >= 1024 * 1024) return t("mb", { n: num(n / (1024 * 1024), 1) });
  if (n >= 1024) return t("kb", { n: num(n / 1024, 0) });
  return t("bytes", { n: num(n, 0) });
}

/** The 32 member states, by ISO 3166 alpha-2 code, with their names in both languages. */
export const MEMBER_STATES = {
  AL: { en: "Albania", fr: "Albanie" }, BE: { en: "Belgium", fr: "Belgique" }, BG: { en: "Bulgaria", fr: "Bulgarie" },
  CA: { en: "Canada", fr: "Canada" }, HR: { en: "Croatia", fr: "Croatie" }, CZ: { en: "Czechia", fr: "Tchéquie" },
  DK: { en: "Denmark", fr: "Danemark" }, EE: { en: "Estonia", fr: "Estonie" }, FI: { en: "Finland", fr: "Finlande" },
  FR: { en: "France", fr: "France" }, DE: { en: "Germany", fr: "Allemagne" }, GR: { en: "Greece", fr: "Grèce" },
  HU: { en: "Hungary", fr: "Hongrie" }, IS: { en: "Iceland", fr: "Islande" }, IT: { en: "Italy", fr: "Italie" },
  LV: { en: "Latvia", fr: "Lettonie" }, LT: { en: "Lithuania", fr: "Lituanie" }, LU: { en: "Luxembourg", fr: "Luxembourg" },
  ME: { en: "Montenegro", fr: "Monténégro" }, NL: { en: "Netherlands", fr: "Pays-Bas" }, MK: { en: "North Macedonia", fr: "Macédoine du Nord" },
  NO: { en: "Norway", fr: "Norvège" }, PL: { en: "Poland", fr: "Pologne" }, PT: { en: "Portugal", fr: "Portugal" },
  RO: { en: "Romania", fr: "Roumanie" }, SK: { en: "Slovakia", fr: "Slovaquie" }, SI: { en: "Slovenia", fr: "Slovénie" },
  ES: { en: "Spain", fr: "Espagne" }, SE: { en: "Sweden", fr: "Suède" }, TR: { en: "Türkiye", fr: "Türkiye" },
  GB: { en: "United Kingdom", fr: "Royaume-Uni" }, US: { en: "United States", fr: "États-Unis" },
};
