// The admin pages for accounts, applications, the outbox and the audit log. Every key in `en`
// must also be in `fr` (the browser tests check it).
export default {
  en: {
  },
  fr: {
  },
};
