#!/usr/bin/env python3
"""Producer "libreoffice": essays written as flat ODT (.fodt) with Writer's own styles, and some as
HTML, converted by LibreOffice to .docx into inspection/tests/producers/libreoffice/NNN.docx.

  python3 inspection/tools/producers/gen_libreoffice.py [--count N]

Writer's styles (Text body, Heading 1/2, Title, Quotations, Table Contents, Header, Footer,
Footnote) are used by name; direct formatting goes through automatic styles as Writer's toolbar
makes it: proportional line spacing 100-150 %, justified text, lists, footnotes, a table, headers
and footers with a page field.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import essaylib  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "tests", "producers"))
OUT = os.path.join(ROOT, "libreoffice")
PROFILE = "file:///tmp/lo-profile-producers"
# measured: the words-per-page estimate overshoots this producer's pages by 1/CALIBRATION
CALIBRATION = 0.6
SEED = 0x1E0FF1CE

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
    'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"'
)

FONTS = [  # (font, size pt, generic)
    ("Liberation Serif", 12, "roman"),
    ("Liberation Serif", 12, "roman"),
    ("Carlito", 11, "swiss"),
    ("Caladea", 11, "roman"),
    ("Liberation Sans", 11, "swiss"),
    ("Liberation Sans", 10, "swiss"),
]
PAPERS = {"A4": (21.001, 29.7), "Letter": (21.59, 27.94)}
MARGINS_CM = [2.0, 2.0, 2.5, 2.54, 1.5]


# Writer's default styles as Writer 7.4 saves them (the ones these essays use), with the
# document's font and size in the default style.
WRITER_STYLES = (
    '<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2" '
    'fo:hyphenation-ladder-count="no-limit" style:text-autospace="ideograph-alpha" style:punctuation-wrap="hanging" '
    'style:line-break="strict" style:tab-stop-distance="1.251cm" style:writing-mode="page"/>'
    '<style:text-properties style:use-window-font-color="true" style:font-name="{font}" fo:font-size="{size}pt" '
    'fo:language="en" fo:country="US" style:letter-kerning="true" style:font-name-asian="DejaVu Sans" '
    'style:font-size-asian="10.5pt" style:font-name-complex="DejaVu Sans" style:font-size-complex="12pt" '
    'fo:hyphenate="false" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="2" '
    'loext:hyphenation-no-caps="false"/></style:default-style>'
    '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
    '<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" '
    'style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.423cm" '
    'fo:margin-bottom="0.212cm" style:contextual-spacing="false" fo:keep-with-next="always"/>'
    '<style:text-properties style:font-name="Liberation Sans" fo:font-family="&apos;Liberation Sans&apos;" '
    'style:font-family-generic="swiss" style:font-pitch="variable" fo:font-size="14pt"/></style:style>'
    '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" '
    'style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0cm" '
    'fo:margin-bottom="0.247cm" style:contextual-spacing="false" fo:line-height="115%"/></style:style>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
    'style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="1" '
    'style:class="text"><style:paragraph-properties fo:margin-top="0.423cm" fo:margin-bottom="0.212cm" '
    'style:contextual-spacing="false"/><style:text-properties fo:font-size="130%" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" '
    'style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="2" '
    'style:class="text"><style:paragraph-properties fo:margin-top="0.353cm" fo:margin-bottom="0.212cm" '
    'style:contextual-spacing="false"/><style:text-properties fo:font-size="115%" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" '
    'style:next-style-name="Subtitle" style:class="chapter"><style:paragraph-properties fo:text-align="center"/>'
    '<style:text-properties fo:font-size="28pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Quotations" style:family="paragraph" style:parent-style-name="Standard" '
    'style:class="html"><style:paragraph-properties fo:margin-left="1cm" fo:margin-right="1cm" fo:margin-top="0cm" '
    'fo:margin-bottom="0.499cm" style:contextual-spacing="false" fo:text-indent="0cm" style:auto-text-indent="false"/></style:style>'
    '<style:style style:name="Header_20_and_20_Footer" style:display-name="Header and Footer" style:family="paragraph" '
    'style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties text:number-lines="false" '
    'text:line-number="0"><style:tab-stops><style:tab-stop style:position="8.5cm" style:type="center"/>'
    '<style:tab-stop style:position="17cm" style:type="right"/></style:tab-stops></style:paragraph-properties></style:style>'
    '<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Header_20_and_20_Footer" style:class="extra"/>'
    '<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Header_20_and_20_Footer" style:class="extra"/>'
    '<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
    '<style:paragraph-properties fo:margin-left="0.599cm" fo:margin-right="0cm" fo:text-indent="-0.599cm" '
    'style:auto-text-indent="false" text:number-lines="false" text:line-number="0"/>'
    '<style:text-properties fo:font-size="10pt"/></style:style>'
    '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" '
    'style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:orphans="0" fo:widows="0" '
    'text:number-lines="false" text:line-number="0"/></style:style>'
    '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" '
    'style:parent-style-name="Table_20_Contents" style:class="extra"><style:paragraph-properties fo:text-align="center" '
    'text:number-lines="false" text:line-number="0"/><style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Footnote_20_Symbol" style:display-name="Footnote Symbol" style:family="text"/>'
    '<style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor" style:family="text">'
    '<style:text-properties style:text-position="super 58%"/></style:style>'
    '<style:style style:name="Bullet_20_Symbols" style:display-name="Bullet Symbols" style:family="text">'
    '<style:text-properties style:font-name="OpenSymbol" fo:font-family="OpenSymbol"/></style:style>'
    '<style:style style:name="Numbering_20_Symbols" style:display-name="Numbering Symbols" style:family="text"/>'
    '<text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_Symbol" '
    'text:citation-body-style-name="Footnote_20_anchor" style:num-format="1" text:start-value="0" '
    'text:footnotes-position="page" text:start-numbering-at="document"/>'
)


def fodt(r, i):
    font, size, generic = r.choice(FONTS)
    paper = r.choice(["A4", "A4", "Letter"])
    pw, ph = PAPERS[paper]
    m = r.choice(MARGINS_CM)
    pct = r.choice([100, 108, 115, 115, 120, 130, 150])
    justify = r.random() < 0.4
    header = r.random() < 0.6
    footer = r.random() < 0.6
    features = {"h2", "lists", "numbered"}
    if r.random() < 0.4:
        features.add("footnotes")
    if r.random() < 0.3:
        features.add("table")
    if r.random() < 0.3:
        features.add("quote")

    text_w = (pw - 2 * m) / 2.54 * 72
    body_h = (ph - 2 * m) / 2.54 * 72 - (28 if header else 0) - (28 if footer else 0)
    wpp = essaylib.words_per_page(font, size, pct / 100, text_w, body_h, 7)
    target = int(wpp * CALIBRATION * essaylib.target_pages(r) * r.uniform(0.95, 1.05))
    blocks = essaylib.essay(r, target, features)

    body_align = ' fo:text-align="justify"' if justify else ""
    auto = [
        f'<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Text_20_body">'
        f'<style:paragraph-properties fo:line-height="{pct}%"{body_align}/></style:style>',
        '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>',
        '<text:list-style style:name="L1"><text:list-level-style-bullet text:level="1" text:style-name="Bullet_20_Symbols" text:bullet-char="•">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/>'
        "</style:list-level-properties></text:list-level-style-bullet></text:list-style>",
        '<text:list-style style:name="L2"><text:list-level-style-number text:level="1" text:style-name="Numbering_20_Symbols" style:num-suffix="." style:num-format="1">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/>'
        "</style:list-level-properties></text:list-level-style-number></text:list-style>",
        f'<style:style style:name="Table1" style:family="table"><style:table-properties style:width="{pw - 2 * m:.3f}cm" table:align="margins"/></style:style>',
        '<style:style style:name="Table1.A1" style:family="table-cell"><style:table-cell-properties fo:padding="0.097cm" fo:border="0.5pt solid #000000"/></style:style>',
        f'<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="{pw}cm" fo:page-height="{ph}cm" '
        f'style:print-orientation="portrait" fo:margin-top="{m}cm" fo:margin-bottom="{m}cm" fo:margin-left="{m}cm" fo:margin-right="{m}cm"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.499cm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.499cm"/></style:footer-style>'
        "</style:page-layout>",
    ]
    master = '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
    if header:
        master += (
            f'<style:header><text:p text:style-name="Header">Vacancy {250000 + i} – Key challenges'
            + ("<text:tab/><text:tab/>Page <text:page-number text:select-page=\"current\">1</text:page-number>" if r.random() < 0.4 else "")
            + "</text:p></style:header>"
        )
    if footer:
        master += (
            '<style:footer><text:p text:style-name="Footer"><text:tab/>'
            '<text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>'
        )
    master += "</style:master-page>"

    body = []
    nnote = 0
    title_style = r.choice(["Title", "Heading_20_1"])
    for b in blocks:
        k = b[0]
        if k == "title":
            if title_style == "Title":
                body.append(f'<text:p text:style-name="Title">{escape(b[1])}</text:p>')
            else:
                body.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{escape(b[1])}</text:h>')
        elif k in ("h1", "h2"):
            lvl = 1 if k == "h1" else 2
            body.append(f'<text:h text:style-name="Heading_20_{lvl}" text:outline-level="{lvl}">{escape(b[1])}</text:h>')
        elif k == "p":
            t, note = b[1], b[2]
            if note:
                nnote += 1
                cut, nt = note
                t = (
                    escape(t[:cut])
                    + f'<text:note text:id="ftn{nnote}" text:note-class="footnote"><text:note-citation>{nnote}</text:note-citation>'
                    f'<text:note-body><text:p text:style-name="Footnote">{escape(nt)}</text:p></text:note-body></text:note>'
                    + escape(t[cut:])
                )
            else:
                t = escape(t)
            body.append(f'<text:p text:style-name="P1">{t}</text:p>')
        elif k in ("bullets", "numbers"):
            ls = "L1" if k == "bullets" else "L2"
            items = "".join(
                f'<text:list-item><text:p text:style-name="P1">{escape(t)}</text:p></text:list-item>' for t in b[1]
            )
            body.append(f'<text:list text:style-name="{ls}">{items}</text:list>')
        elif k == "quote":
            body.append(f'<text:p text:style-name="Quotations">{escape(b[1])}</text:p>')
        elif k == "table":
            rows = b[1]
            cols = len(rows[0])
            x = f'<table:table table:name="Table1" table:style-name="Table1"><table:table-column table:number-columns-repeated="{cols}"/>'
            for ri, row in enumerate(rows):
                st = "Table_20_Heading" if ri == 0 else "Table_20_Contents"
                x += "<table:table-row>" + "".join(
                    f'<table:table-cell table:style-name="Table1.A1" office:value-type="string"><text:p text:style-name="{st}">{escape(c)}</text:p></table:table-cell>'
                    for c in row
                ) + "</table:table-row>"
            body.append(x + "</table:table>")
    styles = WRITER_STYLES.format(font=font, size=size)
    faces = "".join(
        f'<style:font-face style:name="{f}" svg:font-family="\'{f}\'" style:font-family-generic="{g}" style:font-pitch="variable"/>'
        for f, g in sorted({(f, g) for f, _, g in FONTS} | {("OpenSymbol", "system"), ("DejaVu Sans", "system")})
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS}>'
        f"<office:font-face-decls>{faces}</office:font-face-decls>"
        f"<office:styles>{styles}</office:styles>"
        f'<office:automatic-styles>{"".join(auto)}</office:automatic-styles>'
        f"<office:master-styles>{master}</office:master-styles>"
        f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>\n'
    )


def html(r, i):
    sans = r.random() < 0.3
    features = {"h2", "lists", "numbered"}
    if r.random() < 0.3:
        features.add("table")
    if r.random() < 0.3:
        features.add("quote")
    # HTML page style: A4, margins left 2 cm, the others 1 cm; Text body 0/283 single
    wpp = essaylib.words_per_page("Liberation Serif", 12, 1.0, 510, 785, 14)
    target = int(wpp * CALIBRATION * essaylib.target_pages(r) * r.uniform(0.95, 1.05))
    blocks = essaylib.essay(r, target, features)
    style = "<style>p { font-family: 'Liberation Sans'; }</style>" if sans else ""
    out = [f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Key challenges</title>{style}</head><body>"]
    for b in blocks:
        k = b[0]
        if k == "title":
            out.append(f"<h1>{escape(b[1])}</h1>")
        elif k == "h1":
            out.append(f"<h2>{escape(b[1])}</h2>")
        elif k == "h2":
            out.append(f"<h3>{escape(b[1])}</h3>")
        elif k == "p":
            out.append(f"<p>{escape(b[1])}</p>")
        elif k in ("bullets", "numbers"):
            tag = "ul" if k == "bullets" else "ol"
            out.append(f"<{tag}>" + "".join(f"<li>{escape(t)}</li>" for t in b[1]) + f"</{tag}>")
        elif k == "quote":
            out.append(f"<blockquote>{escape(b[1])}</blockquote>")
        elif k == "table":
            rows = b[1]
            x = '<table border="1">'
            for ri, row in enumerate(rows):
                c = "th" if ri == 0 else "td"
                x += "<tr>" + "".join(f"<{c}>{escape(t)}</{c}>" for t in row) + "</tr>"
            out.append(x + "</table>")
    out.append("</body></html>\n")
    return "".join(out)


def convert(src_files, outdir, filt):
    cmd = ["soffice", "--headless", f"-env:UserInstallation={PROFILE}", "--convert-to", filt, "--outdir", outdir] + src_files
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=105)
    ap.add_argument("--html-share", type=float, default=0.2)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".docx"):
            os.remove(os.path.join(OUT, f))
    tmp = tempfile.mkdtemp(prefix="producers-lo-")
    try:
        fodts, htmls = [], []
        for i in range(a.count):
            r = random.Random(SEED * 1000 + i)
            if r.random() < a.html_share:
                p = os.path.join(tmp, f"{i:03}.html")
                open(p, "w", encoding="utf-8").write(html(r, i))
                htmls.append(p)
            else:
                p = os.path.join(tmp, f"{i:03}.fodt")
                open(p, "w", encoding="utf-8").write(fodt(r, i))
                fodts.append(p)
        if fodts:
            convert(fodts, OUT, 'docx:MS Word 2007 XML')
        if htmls:
            convert(htmls, OUT, 'docx:MS Word 2007 XML')
        made = sorted(f for f in os.listdir(OUT) if f.endswith(".docx"))
        print(f"libreoffice: {len(made)} files ({len(fodts)} from FODT, {len(htmls)} from HTML) in {OUT}")
        if len(made) != a.count:
            sys.exit(f"expected {a.count} files")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
