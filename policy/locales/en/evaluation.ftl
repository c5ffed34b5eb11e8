# Messages of the upload checks. Each failure says what to do next.

## format
format-pass = The file is a { $found } document, which this vacancy accepts.
format-unknown = We could not recognise this file as a { $accepted } document. Save your essay as { $first } from your word processor and upload it again.
format-unopened = We could not open this file safely to check it: { $problem } Save your essay again as { $first } from your word processor and upload the new copy.
format-legacy-doc = This file is a legacy .doc; save it as .docx (File › Save As › Word Document) and upload it again.
format-docm = This file is a macro-enabled Word document (.docm); save it as a Word Document (.docx) and upload it again.
format-wrong = This file is { $found }, but this vacancy accepts only { $accepted }; save it as { $first } and upload it again.

## encryption
encryption-pass = The file is not password-protected.
encryption-fail = This file is password-protected; remove the password (or save an unprotected copy) and upload it again.
encryption-pass-restricted = The file opens without a password, so the panel can read it. Its security settings restrict { $restrictions }; if you can, export it again without restrictions so that assessors can also print it or quote from it.
restriction-copying = copying
restriction-printing = printing
restriction-editing = editing

## readable
readable-pass = We could open and read the file.
readable-fail = We could not read this file ({ $problem }); open it in your word processor, save it again as { $first } and upload the new copy.

## macros
macros-pass = The file contains no macros.
macros-fail = This file contains macros; save it as a Word Document (.docx) without macros and upload it again.

## pages
pages-pass = Your essay has { $pages ->
    [one] one page
   *[other] { $pages } pages
}, within the limit of { $max }.
pages-over-lines = Your essay runs { $lines ->
    [one] one line
   *[other] { $lines } lines
} onto page { $page }, from “{ $start }”; shorten it to { $max ->
    [one] one page
   *[other] { $max } pages
}.
pages-over-start = Your essay runs onto page { $page }, from “{ $start }”; shorten it to { $max ->
    [one] one page
   *[other] { $max } pages
}.
pages-over = Your essay has { $pages } pages, but the limit is { $max }; shorten it by { $excess ->
    [one] one page
   *[other] { $excess } pages
}.
pages-unknown = We could not count the pages of this file; check that it is no longer than { $max ->
    [one] one page
   *[other] { $max } pages
}.
pages-metadata = This legacy .doc says it has { $pages ->
    [one] one page
   *[other] { $pages } pages
}, but we cannot measure it ourselves; save it as .docx or PDF so that we can check it fits in { $max ->
    [one] one page
   *[other] { $max } pages
}.

## pages, when the layout could only estimate
estimate-fonts = { $count ->
    [one] its font ({ $fonts }) cannot be measured exactly here
   *[other] its fonts ({ $fonts }) cannot be measured exactly here
}
estimate-floating = it has floating images or text boxes, whose place on the page we can only estimate
estimate-word = Microsoft Word’s own count differs from our layout’s by more than a page
pages-word-pass = Microsoft Word counts { $word ->
    [one] one page
   *[other] { $word } pages
}, within the limit of { $max }; we used Word’s own count because { $reason } (our estimate: { $pages }).
pages-word-over = Microsoft Word itself counts { $word } pages, but the limit is { $max }; shorten it by { $excess ->
    [one] one page
   *[other] { $excess } pages
}.
pages-word-disagrees = Microsoft Word counts { $word ->
    [one] one page
   *[other] { $word } pages
}, within the limit of { $max }, but our layout finds { $pages }, and assessors may see { $pages }; look at the end of your essay and shorten it if you can.
pages-estimate-pass = Your essay appears to have { $pages ->
    [one] one page
   *[other] { $pages } pages
}, within the limit of { $max }; this is an estimate because { $reason }.
pages-estimate-near = Your essay appears to fill { $pages ->
    [one] its one page
   *[other] all { $pages } pages
} up to the limit of { $max }, but this is only an estimate because { $reason }. To be sure, save it in Microsoft Word (which records its own page count) or export it as PDF, and upload that.
pages-estimate-over = Your essay appears to run onto page { $page } ({ $pages } pages; the limit is { $max }), but this is only an estimate because { $reason }, so it is not refused. To be sure, save it in Microsoft Word (which records its own page count) or export it as PDF, and upload that.

## paper
paper-pass = The pages are { $paper }.
paper-letter = Your { $doc } is US Letter ({ $width } × { $height } mm); export it as A4 (210 × 297 mm).
paper-other = Your { $doc } has pages of { $width } × { $height } mm, which is not A4; set the paper size to A4 (210 × 297 mm) and export it again.
paper-mixed = Your { $doc } mixes page sizes; set every page to A4 (210 × 297 mm) and export it again.
paper-letter-word = Your { $doc } is set to US Letter ({ $width } × { $height } mm); in Word, choose Layout › Size › A4 (210 × 297 mm), check the page count, then save it and upload it again.
paper-other-word = Your { $doc } has pages of { $width } × { $height } mm, which is not A4; in Word, choose Layout › Size › A4 (210 × 297 mm), check the page count, then save it and upload it again.
paper-mixed-word = Your { $doc } mixes page sizes; in Word, select all the text and choose Layout › Size › A4 (210 × 297 mm), then save it and upload it again.
paper-unknown = We could not tell the paper size of this file; make sure it is set to A4 (210 × 297 mm).
doc-pdf = PDF
doc-document = document

## filename
filename-pass = The file name meets the naming rule.
filename-empty = The file has no name; name it “{ $suggestion }”.
filename-control = The file name contains an invisible control character; rename the file to “{ $suggestion }”.
filename-too-long = The file name is { $bytes } bytes long, over the limit of 255; rename the file to “{ $suggestion }”.
filename-missing-reference = The file name must contain the vacancy reference { $reference } on its own; rename the file to “{ $suggestion }”.
filename-missing-phrase = The file name must contain the words “{ $phrase }”; rename the file to “{ $suggestion }”.
filename-missing-both = The file name must contain the vacancy reference { $reference } and the words “{ $phrase }”; rename the file to “{ $suggestion }”.
filename-extension = The file is { $format }, but its name ends in “{ $ext }”; rename it to “{ $suggestion }”.

## size
size-pass = The file is { $size }, within the limit of { $max }.
size-fail = The file is { $size }, over the limit of { $max }; make it smaller (for example, compress its pictures) and upload it again.

## deadline
deadline-pass = Your upload began before the deadline: { $deadline }.
deadline-pass-extension = Your upload began before your extended deadline: { $deadline }.
deadline-closed = The deadline was { $deadline }; uploads are closed.
deadline-closed-extension = Your extended deadline was { $deadline }; uploads are closed.
deadline-too-slow = Your upload began before the deadline ({ $deadline }) but finished { $late ->
    [one] one second
   *[other] { $late } seconds
} after it, beyond the grace period of { $grace ->
    [one] one second
   *[other] { $grace } seconds
}; uploads are closed. If a technical problem slowed you down, contact the recruitment team.
