# Messages des contrôles au dépôt. Chaque échec dit quoi faire ensuite.
# Typographie (docs/glossary.md) : espace fine insécable (U+202F) avant « : ; ! ? », espace insécable à l’intérieur des guillemets « ».

## format
format-pass = Le fichier est un document { $found }, format accepté pour ce poste.
format-unknown = Nous n’avons pas reconnu ce fichier comme un document { $accepted }. Enregistrez votre texte au format { $first } depuis votre traitement de texte, puis déposez-le à nouveau.
format-unopened = Nous n’avons pas pu ouvrir ce fichier sans risque pour le vérifier : { $problem } Enregistrez de nouveau votre texte au format { $first } depuis votre traitement de texte, puis déposez la nouvelle copie.
format-legacy-doc = Ce fichier est au format .doc, aujourd’hui obsolète ; enregistrez-le au format .docx (Fichier › Enregistrer sous › Document Word), puis déposez-le à nouveau.
format-docm = Ce fichier est un document Word prenant en charge les macros (.docm) ; enregistrez-le comme Document Word (.docx), puis déposez-le à nouveau.
format-wrong = Ce fichier est au format { $found }, mais seul le format { $accepted } est accepté pour ce poste ; enregistrez-le au format { $first }, puis déposez-le à nouveau.

## encryption
encryption-pass = Le fichier n’est pas protégé par un mot de passe.
encryption-fail = Ce fichier est protégé par un mot de passe ; supprimez le mot de passe (ou enregistrez-en une copie non protégée), puis déposez-le à nouveau.
encryption-pass-restricted = Le fichier s’ouvre sans mot de passe : le jury peut le lire. Ses paramètres de sécurité restreignent { $restrictions } ; si possible, exportez-le de nouveau sans restrictions afin que les évaluateurs puissent aussi l’imprimer ou en citer des passages.
restriction-copying = la copie
restriction-printing = l’impression
restriction-editing = la modification

## readable
readable-pass = Nous avons pu ouvrir et lire le fichier.
readable-fail = Nous n’avons pas pu lire ce fichier ({ $problem }) ; ouvrez-le dans votre traitement de texte, enregistrez-le de nouveau au format { $first }, puis déposez la nouvelle copie.

## macros
macros-pass = Le fichier ne contient pas de macros.
macros-fail = Ce fichier contient des macros ; enregistrez-le comme Document Word (.docx) sans macros, puis déposez-le à nouveau.

## pages
pages-pass = Votre texte compte { $pages ->
    [one] une page
   *[other] { $pages } pages
}, dans la limite de { $max }.
pages-over-lines = Votre texte déborde de { $lines ->
    [one] une ligne
   *[other] { $lines } lignes
} sur la page { $page }, à partir de « { $start } » ; raccourcissez-le à { $max ->
    [one] une page
   *[other] { $max } pages
}.
pages-over-start = Votre texte déborde sur la page { $page }, à partir de « { $start } » ; raccourcissez-le à { $max ->
    [one] une page
   *[other] { $max } pages
}.
pages-over = Votre texte compte { $pages } pages, mais la limite est de { $max } ; raccourcissez-le de { $excess ->
    [one] une page
   *[other] { $excess } pages
}.
pages-unknown = Nous n’avons pas pu compter les pages de ce fichier ; vérifiez qu’il ne dépasse pas { $max ->
    [one] une page
   *[other] { $max } pages
}.
pages-metadata = Ce fichier .doc indique { $pages ->
    [one] une page
   *[other] { $pages } pages
}, mais nous ne pouvons pas le mesurer nous-mêmes ; enregistrez-le au format .docx ou PDF pour que nous puissions vérifier qu’il tient en { $max ->
    [one] une page
   *[other] { $max } pages
}.

## pages, quand la mise en page n’est qu’une estimation
estimate-fonts = { $count ->
    [one] sa police ({ $fonts }) ne peut pas être mesurée exactement ici
   *[other] ses polices ({ $fonts }) ne peuvent pas être mesurées exactement ici
}
estimate-floating = il contient des images ou des zones de texte flottantes, dont la place sur la page ne peut qu’être estimée
estimate-word = le décompte de Microsoft Word lui-même diffère de celui de notre mise en page de plus d’une page
pages-word-pass = Microsoft Word compte { $word ->
    [one] une page
   *[other] { $word } pages
}, dans la limite de { $max } ; nous avons retenu le décompte de Word parce que { $reason } (notre estimation : { $pages }).
pages-word-over = Microsoft Word compte lui-même { $word } pages, mais la limite est de { $max } ; raccourcissez votre texte de { $excess ->
    [one] une page
   *[other] { $excess } pages
}.
pages-word-disagrees = Microsoft Word compte { $word ->
    [one] une page
   *[other] { $word } pages
}, dans la limite de { $max }, mais notre mise en page en trouve { $pages }, et les évaluateurs pourraient en voir { $pages } ; regardez la fin de votre texte et raccourcissez-le si possible.
pages-estimate-pass = Votre texte semble compter { $pages ->
    [one] une page
   *[other] { $pages } pages
}, dans la limite de { $max } ; c’est une estimation, parce que { $reason }.
pages-estimate-near = Votre texte semble remplir { $pages ->
    [one] sa page
   *[other] ses { $pages } pages
} jusqu’à la limite de { $max }, mais ce n’est qu’une estimation, parce que { $reason }. Pour en être sûr, enregistrez-le dans Microsoft Word (qui note son propre nombre de pages) ou exportez-le en PDF, puis déposez ce fichier.
pages-estimate-over = Votre texte semble déborder sur la page { $page } ({ $pages } pages ; la limite est de { $max }), mais ce n’est qu’une estimation, parce que { $reason } ; il n’est donc pas refusé. Pour en être sûr, enregistrez-le dans Microsoft Word (qui note son propre nombre de pages) ou exportez-le en PDF, puis déposez ce fichier.

## paper
paper-pass = Les pages sont au format { $paper }.
paper-letter = Votre { $doc } est au format Letter américain ({ $width } × { $height } mm) ; exportez-le au format A4 (210 × 297 mm).
paper-other = Votre { $doc } a des pages de { $width } × { $height } mm, qui ne sont pas au format A4 ; choisissez le format de papier A4 (210 × 297 mm) et exportez-le à nouveau.
paper-mixed = Votre { $doc } mélange plusieurs formats de page ; mettez toutes les pages au format A4 (210 × 297 mm) et exportez-le à nouveau.
paper-letter-word = Votre { $doc } est au format Letter américain ({ $width } × { $height } mm) ; dans Word, choisissez Mise en page › Taille › A4 (210 × 297 mm), vérifiez le nombre de pages, puis enregistrez-le et déposez-le à nouveau.
paper-other-word = Votre { $doc } a des pages de { $width } × { $height } mm, qui ne sont pas au format A4 ; dans Word, choisissez Mise en page › Taille › A4 (210 × 297 mm), vérifiez le nombre de pages, puis enregistrez-le et déposez-le à nouveau.
paper-mixed-word = Votre { $doc } mélange plusieurs formats de page ; dans Word, sélectionnez tout le texte et choisissez Mise en page › Taille › A4 (210 × 297 mm), puis enregistrez-le et déposez-le à nouveau.
paper-unknown = Nous n’avons pas pu déterminer le format de papier de ce fichier ; assurez-vous qu’il est au format A4 (210 × 297 mm).
doc-pdf = PDF
doc-document = document

## filename
filename-pass = Le nom du fichier respecte la règle de nommage.
filename-empty = Le fichier n’a pas de nom ; nommez-le « { $suggestion } ».
filename-control = Le nom du fichier contient un caractère de contrôle invisible ; renommez le fichier « { $suggestion } ».
filename-too-long = Le nom du fichier fait { $bytes } octets, au-delà de la limite de 255 ; renommez le fichier « { $suggestion } ».
filename-missing-reference = Le nom du fichier doit contenir la référence du poste, { $reference }, isolée ; renommez le fichier « { $suggestion } ».
filename-missing-phrase = Le nom du fichier doit contenir les mots « { $phrase } » ; renommez le fichier « { $suggestion } ».
filename-missing-both = Le nom du fichier doit contenir la référence du poste, { $reference }, et les mots « { $phrase } » ; renommez le fichier « { $suggestion } ».
filename-extension = Le fichier est au format { $format }, mais son nom se termine par « { $ext } » ; renommez-le « { $suggestion } ».

## size
size-pass = Le fichier fait { $size }, dans la limite de { $max }.
size-fail = Le fichier fait { $size }, au-delà de la limite de { $max } ; réduisez sa taille (par exemple en compressant les images), puis déposez-le à nouveau.

## deadline
deadline-pass = Votre envoi a commencé avant la date limite : { $deadline }.
deadline-pass-extension = Votre envoi a commencé avant votre date limite prolongée : { $deadline }.
deadline-closed = La date limite était le { $deadline } ; les dépôts sont clos.
deadline-closed-extension = Votre date limite prolongée était le { $deadline } ; les dépôts sont clos.
deadline-too-slow = Votre envoi a commencé avant la date limite ({ $deadline }), mais s’est terminé { $late ->
    [one] une seconde
   *[other] { $late } secondes
} après celle-ci, au-delà du délai de grâce de { $grace ->
    [one] une seconde
   *[other] { $grace } secondes
} ; les dépôts sont clos. Si un problème technique vous a retardé, contactez l’équipe de recrutement.
