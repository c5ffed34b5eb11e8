# Les valeurs « Attendu » et « Constaté » de la liste de contrôle, en mots (les nombres, tailles
# et instants sont écrits par chaque page dans sa langue, à partir de la valeur structurée).
value-not-encrypted = non protégé par un mot de passe
value-encrypted = s’ouvre uniquement avec un mot de passe
value-opens-without-password = s’ouvre sans mot de passe
value-restricted = s’ouvre sans mot de passe ; restreint { $restrictions }
value-readable = lisible
value-unreadable = endommagé ou illisible
value-no-macros = sans macros
value-macros = contient des macros
value-format-unknown = document non reconnu
value-pages-estimate = { $pages ->
    [one] 1 page
   *[other] { $pages } pages
} (estimation)
value-pages-word = { $word ->
    [one] 1 page
   *[other] { $word } pages
} (décompte de Microsoft Word ; notre estimation : { $pages })
value-paper-letter = Lettre US
value-paper-other = un autre format
value-paper-mixed = pages de formats différents
value-paper-size = { $paper } ({ $width } × { $height } mm)
