# The checklist's "Expected" and "Found" values, in words (numbers, sizes and instants are
# written by each page in its own language from the structured value beside them).
value-not-encrypted = not encrypted
value-encrypted = needs a password to open
value-opens-without-password = opens without a password
value-restricted = opens without a password; restricts { $restrictions }
value-readable = readable
value-unreadable = damaged or unreadable
value-no-macros = no macros
value-macros = contains macros
value-format-unknown = not a document we recognise
value-pages-estimate = { $pages ->
    [one] 1 page
   *[other] { $pages } pages
} (estimate)
value-pages-word = { $word ->
    [one] 1 page
   *[other] { $word } pages
} (Microsoft Word’s count; our estimate: { $pages })
value-paper-letter = US Letter
value-paper-other = another size
value-paper-mixed = pages of different sizes
value-paper-size = { $paper } ({ $width } × { $height } mm)
