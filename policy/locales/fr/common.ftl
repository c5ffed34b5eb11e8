# Textes affichés hors des contrôles au dépôt.

eligibility-member-state-national = Je suis ressortissant(e) d’un pays membre de l’OTAN.
eligibility-security-clearance = Je suis titulaire d’une habilitation de sécurité OTAN en cours de validité, ou d’une habilitation de sécurité de niveau approprié en cours de validité délivrée par l’autorité nationale de sécurité de mon pays.
eligibility-no-generative-ai = Je n’ai utilisé aucun outil d’intelligence artificielle générative (comme ChatGPT) pour préparer tout ou partie de cette candidature, y compris ce document.

filename-rule-both = Nommez votre fichier de sorte qu’il contienne la référence du poste, { $reference }, et les mots « { $phrase } », par exemple « { $example } ». Les majuscules n’ont pas d’importance, et les espaces, traits de soulignement (_), traits d’union (-) et points (.) comptent tous comme séparateurs. La référence doit être isolée, sans autre chiffre accolé, et les mots doivent se suivre, dans cet ordre.
filename-rule-reference = Nommez votre fichier de sorte qu’il contienne la référence du poste, { $reference }, par exemple « { $example } ». Les espaces, traits de soulignement (_), traits d’union (-) et points (.) comptent tous comme séparateurs, et la référence doit être isolée, sans autre chiffre accolé.
filename-rule-phrase = Nommez votre fichier de sorte qu’il contienne les mots « { $phrase } », par exemple « { $example } ». Les majuscules n’ont pas d’importance, et les espaces, traits de soulignement (_), traits d’union (-) et points (.) comptent tous comme séparateurs ; les mots doivent se suivre, dans cet ordre.
filename-rule-none = Tous les noms de fichier sont acceptés, à condition de ne contenir aucun caractère de contrôle et de ne pas dépasser 255 octets.
