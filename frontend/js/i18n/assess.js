// The assess pages' strings. Every key in `en` must also be in `fr` (the browser tests check it).
export default {
  en: {
  },
  fr: {
  },
};
