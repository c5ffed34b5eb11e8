// All user-facing strings, in both official languages. Pages call t(key, params).
const STRINGS = {
  en: {
    brand: "Essay portal", skip: "Skip to content", nav_vacancies: "Vacancies", nav_applications: "My applications",
    nav_assess: "Assessment", nav_admin: "Administration", nav_account: "My account", nav_login: "Log in", nav_register: "Register",
    lang_switch: "Français", lang_switch_label: "Lire cette page en français",
    vacancies_title: "Open vacancies", deadline: "Deadline:", your_time: "your local time", closes_in: "Closes in",
    closed: "Closed", days: "d", no_vacancies: "There are no vacancies at the moment.", view: "View vacancy",
    key_challenges: "Key challenges", documents: "Documents to upload", eligibility: "Before you apply, please confirm",
    posts: "Posts you apply for", apply: "Apply", applied: "You have applied for this vacancy.",
    login_to_apply: "Log in as a candidate to apply.", upload_title: "Upload", choose_file: "Choose a file",
    drop_here: "Drag and drop your file here, or use the button.", upload: "Upload", upload_anyway: "Upload anyway",
    uploading: "Uploading…", precheck_failed: "Before sending, we noticed:", checklist: "Checklist",
    rule: "Rule", result: "Result", expected: "Expected", found: "Found", what_to_do: "What it means",
    status_pass: "Pass", status_fail: "Fail", status_warn: "Warning", accepted: "Accepted: your essay is stored.",
    rejected: "Not accepted. Fix the points below and upload again.", receipt: "Receipt", see_receipt: "See your receipt",
    versions: "Versions", current: "current", withdraw: "Withdraw my application", withdrawn: "Withdrawn",
    read_only: "The deadline has passed; this application can no longer change.", pages_picture: "Your pages",
    page_starts: "Page {n} starts: “{words}”", over_limit: "past the limit", email: "Email", password: "Password",
    full_name: "Full name", nationality: "Nationality", other: "Other", login_title: "Log in", register_title: "Create a candidate account",
    password_rule: "At least 12 characters; not a commonly used password.", forgot: "Forgot your password?",
    reset_title: "Reset your password", reset_send: "Send me a link", reset_sent: "If this email is registered, a reset link is on its way.",
    new_password: "New password", choose_password: "Choose your password", set_password: "Set password", password_set: "Your password is set. You can log in.",
    account_title: "My account", role: "Role", change_password: "Change password", current_password: "Current password",
    logout: "Log out", saved: "Saved.", my_applications: "My applications", none_yet: "Nothing yet.",
    receipt_title: "Receipt", download_json: "Download the receipt (JSON)", print: "Print", submission: "Submission",
    vacancy: "Vacancy", document: "Document", file_name: "File name", size: "Size", sha256: "SHA-256",
    began: "Upload began", completed: "Upload completed", page_count: "Pages", verdict: "Verdict",
    assess_title: "Assessment", chair: "chair", essays: "Essays", candidate: "Candidate", flags: "Flags",
    not_yet_readable: "Essays can be read once the deadline has passed.", read: "Read", score: "Score",
    submit_score: "Submit my score", comment: "Comment", conflict: "Declare a conflict of interest", conflict_reason: "Reason",
    others_scores: "All scores", results: "Results", mean: "Mean", spread: "Spread", disagreement: "Disagreement",
    decision: "Decision", longlist: "Longlist", not_longlist: "Do not longlist", yes: "yes", no: "no",
    admin_title: "Administration", rules_json: "Rules (JSON)", save: "Save", self_test_ok: "Self-test passed: a sample that should pass was accepted and one that should fail was refused.",
    self_test_bad: "Self-test warning: the rules do not behave as expected.", download_original: "Download the original",
    error: "Something went wrong.", scored: "Score saved."
  },
  fr: {
    brand: "Portail des textes", skip: "Aller au contenu", nav_vacancies: "Postes à pourvoir", nav_applications: "Mes candidatures",
    nav_assess: "Évaluation", nav_admin: "Administration", nav_account: "Mon compte", nav_login: "Se connecter", nav_register: "Créer un compte",
    lang_switch: "English", lang_switch_label: "Read this page in English",
    vacancies_title: "Postes à pourvoir", deadline: "Date limite\u00a0:", your_time: "votre heure locale", closes_in: "Clôture dans",
    closed: "Clos", days: "j", no_vacancies: "Aucun poste n’est ouvert pour le moment.", view: "Voir le poste",
    key_challenges: "Principaux défis", documents: "Documents à déposer", eligibility: "Avant de postuler, veuillez confirmer",
    posts: "Postes demandés", apply: "Postuler", applied: "Vous avez postulé à ce poste.",
    login_to_apply: "Connectez-vous en tant que candidat pour postuler.", upload_title: "Dépôt", choose_file: "Choisir un fichier",
    drop_here: "Glissez-déposez votre fichier ici, ou utilisez le bouton.", upload: "Déposer", upload_anyway: "Déposer quand même",
    uploading: "Envoi en cours…", precheck_failed: "Avant l’envoi, nous avons remarqué :", checklist: "Liste de contrôle",
    rule: "Règle", result: "Résultat", expected: "Attendu", found: "Constaté", what_to_do: "Explication",
    status_pass: "Conforme", status_fail: "Non conforme", status_warn: "Avertissement", accepted: "Accepté : votre texte est enregistré.",
    rejected: "Non accepté. Corrigez les points ci-dessous et déposez à nouveau.", receipt: "Accusé de réception", see_receipt: "Voir l’accusé de réception",
    versions: "Versions", current: "actuelle", withdraw: "Retirer ma candidature", withdrawn: "Retirée",
    read_only: "La date limite est passée ; cette candidature ne peut plus être modifiée.", pages_picture: "Vos pages",
    page_starts: "La page {n} commence par : « {words} »", over_limit: "au-delà de la limite", email: "Adresse électronique", password: "Mot de passe",
    full_name: "Nom complet", nationality: "Nationalité", other: "Autre", login_title: "Connexion", register_title: "Créer un compte de candidat",
    password_rule: "Au moins 12 caractères ; pas un mot de passe courant.", forgot: "Mot de passe oublié ?",
    reset_title: "Réinitialiser votre mot de passe", reset_send: "Envoyez-moi un lien", reset_sent: "Si cette adresse est enregistrée, un lien vous a été envoyé.",
    new_password: "Nouveau mot de passe", choose_password: "Choisissez votre mot de passe", set_password: "Enregistrer", password_set: "Votre mot de passe est enregistré. Vous pouvez vous connecter.",
    account_title: "Mon compte", role: "Rôle", change_password: "Changer de mot de passe", current_password: "Mot de passe actuel",
    logout: "Se déconnecter", saved: "Enregistré.", my_applications: "Mes candidatures", none_yet: "Rien pour l’instant.",
    receipt_title: "Accusé de réception", download_json: "Télécharger l’accusé (JSON)", print: "Imprimer", submission: "Dépôt",
    vacancy: "Poste", document: "Document", file_name: "Nom du fichier", size: "Taille", sha256: "SHA-256",
    began: "Début de l’envoi", completed: "Fin de l’envoi", page_count: "Pages", verdict: "Décision",
    assess_title: "Évaluation", chair: "présidence", essays: "Textes", candidate: "Candidat", flags: "Signalements",
    not_yet_readable: "Les textes peuvent être lus après la date limite.", read: "Lire", score: "Note",
    submit_score: "Enregistrer ma note", comment: "Commentaire", conflict: "Déclarer un conflit d’intérêts", conflict_reason: "Motif",
    others_scores: "Toutes les notes", results: "Résultats", mean: "Moyenne", spread: "Écart", disagreement: "Désaccord",
    decision: "Décision", longlist: "Présélectionner", not_longlist: "Ne pas présélectionner", yes: "oui", no: "non",
    admin_title: "Administration", rules_json: "Règles (JSON)", save: "Enregistrer", self_test_ok: "Autotest réussi : un exemple conforme a été accepté et un exemple non conforme refusé.",
    self_test_bad: "Alerte de l’autotest : les règles ne se comportent pas comme prévu.", download_original: "Télécharger l’original",
    error: "Une erreur s’est produite.", scored: "Note enregistrée."
  }
};

export function lang() {
  const stored = localStorage.getItem("lang");
  if (stored === "en" || stored === "fr") return stored;
  return (navigator.language || "en").toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function setLang(value) {
  localStorage.setItem("lang", value);
}

export function t(key, params = {}) {
  const table = STRINGS[lang()] || STRINGS.en;
  let text = table[key] ?? STRINGS.en[key] ?? key;
  for (const [name, value] of Object.entries(params)) text = text.replace(`{${name}}`, String(value));
  return text;
}

/** Picks the current language's side of an {en, fr} pair. */
export function pick(pair) {
  if (!pair) return "";
  return pair[lang()] ?? pair.en ?? "";
}
