#!/usr/bin/env python3
"""Producer "word-templates": real Word-saved .docx files from the shared corpus, their body
replaced by an essay, into inspection/tests/producers/word-templates/NNN.docx.

  python3 inspection/tools/producers/gen_word_templates.py [--count N] [--corpus DIR]

Templates are the corpus files whose docProps/app.xml names Microsoft Word (manifest column
app_xml_application), small enough (< 80 kB), with a readable word/document.xml in the
transitional namespace. Everything but the body is kept as it was: styles, theme, settings,
numbering, headers, footers, docProps; and the body's final sectPr. The essay uses the template's
own styles, found by their *name* (w:name "Normal", "heading 1", "heading 2", "Title", "List
Bullet", "List Paragraph", "Quote", "Table Grid"), so that localised style ids work; where a
template has no heading style, headings are Normal paragraphs with bold, larger direct formatting
(as a candidate would make them). Lists use the template's numbering.xml when it has a bullet or
decimal list.
"""

import argparse
import csv
import os
import random
import re
import sys
import zipfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import essaylib  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "tests", "producers"))
OUT = os.path.join(ROOT, "word-templates")
# measured: the words-per-page estimate overshoots this producer's pages by 1/CALIBRATION
CALIBRATION = 0.5
SEED = 0x30D7E4
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_TEMPLATE_BYTES = 80_000


def style_ids(styles_xml):
    """Lower-cased style name -> styleId."""
    out = {}
    for m in re.finditer(r"<w:style\b([^>]*)>(.*?)</w:style>", styles_xml, re.S):
        sid = re.search(r'w:styleId="([^"]*)"', m.group(1))
        name = re.search(r'<w:name w:val="([^"]*)"', m.group(2))
        if sid and name:
            out.setdefault(name.group(1).lower(), sid.group(1))
    return out


def lists_of(numbering_xml):
    """numId of a bullet list and of a decimal list, from level 0 of their abstractNum."""
    if not numbering_xml:
        return None, None
    fmt = {}
    for m in re.finditer(r'<w:abstractNum\b[^>]*w:abstractNumId="(\d+)"[^>]*>(.*?)</w:abstractNum>', numbering_xml, re.S):
        lvl0 = re.search(r'<w:lvl\b[^>]*w:ilvl="0"[^>]*>(.*?)</w:lvl>', m.group(2), re.S)
        if lvl0:
            f = re.search(r'<w:numFmt w:val="([^"]*)"', lvl0.group(1))
            fmt[m.group(1)] = f.group(1) if f else None
    bullet = decimal = None
    for m in re.finditer(r'<w:num\b[^>]*w:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"', numbering_xml):
        f = fmt.get(m.group(2))
        if f == "bullet" and bullet is None:
            bullet = m.group(1)
        if f == "decimal" and decimal is None:
            decimal = m.group(1)
    return bullet, decimal


def page_of(doc_xml, styles_xml):
    """(text width pt, body height pt, font size pt, line factor, space after pt) for the estimate."""
    sect = doc_xml[doc_xml.rfind("<w:sectPr"):]
    num = lambda pat, d, s=sect: int(float(m.group(1))) if (m := re.search(pat, s)) else d  # noqa: E731
    w, h = num(r'<w:pgSz[^>]*w:w="(\d+)"', 12240), num(r'<w:pgSz[^>]*w:h="(\d+)"', 15840)
    left, right = num(r'<w:pgMar[^>]*w:left="(-?\d+)"', 1440), num(r'<w:pgMar[^>]*w:right="(-?\d+)"', 1440)
    top, bottom = abs(num(r'<w:pgMar[^>]*w:top="(-?\d+)"', 1440)), abs(num(r'<w:pgMar[^>]*w:bottom="(-?\d+)"', 1440))
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles_xml, re.S)
    normal = re.search(r'<w:style [^>]*w:styleId="Normal"[^>]*>.*?</w:style>', styles_xml, re.S)
    text = (defaults.group(0) if defaults else "") + (normal.group(0) if normal else "")
    sz = [int(x) for x in re.findall(r'<w:sz w:val="(\d+)"', text)]
    line = [int(x) for x in re.findall(r'w:line="(\d+)"', text)]
    after = [int(x) for x in re.findall(r'w:after="(\d+)"', text)]
    return ((w - left - right) / 20, (h - top - bottom) / 20, (sz[-1] / 2) if sz else 10,
            (line[-1] / 240) if line else 1.0, (after[-1] / 20) if after else 0)


def para(style, text, rpr=""):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def body_of(r, blocks, ids, bullet, decimal, size_pt):
    sid = lambda *names: next((ids[n] for n in names if n in ids), None)  # noqa: E731
    normal = None  # Normal is the default paragraph style: no pStyle, as Word writes it
    h1, h2 = sid("heading 1"), sid("heading 2", "heading 1")
    title = sid("title", "heading 1")
    quote = sid("quote", "intense quote")
    list_style = sid("list paragraph")
    list_bullet, list_number = sid("list bullet"), sid("list number")
    table_grid = sid("table grid")
    bold = lambda half_points: f'<w:rPr><w:b/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'  # noqa: E731
    base = int(size_pt * 2)
    out = []
    for b in blocks:
        k = b[0]
        if k == "title":
            out.append(para(title, b[1]) if title else para(normal, b[1], bold(base + 12)))
        elif k in ("h1", "h2"):
            st = h1 if k == "h1" else h2
            out.append(para(st, b[1]) if st else para(normal, b[1], bold(base + (4 if k == "h1" else 2))))
        elif k == "p":
            out.append(para(normal, b[1]))
        elif k in ("bullets", "numbers"):
            num = bullet if k == "bullets" else decimal
            named = list_bullet if k == "bullets" else list_number
            for t in b[1]:
                if named:
                    out.append(para(named, t))
                elif num:
                    ps = f'<w:pStyle w:val="{list_style}"/>' if list_style else ""
                    out.append(
                        f'<w:p><w:pPr>{ps}<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
                        f'<w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'
                    )
                else:
                    out.append(para(normal, t))
        elif k == "quote":
            out.append(para(quote, b[1]))
        elif k == "table":
            rows = b[1]
            cols = len(rows[0])
            grid = "".join('<w:gridCol w:w="3000"/>' for _ in range(cols))
            if table_grid:
                tblpr = f'<w:tblPr><w:tblStyle w:val="{table_grid}"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            else:
                edges = "".join(f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                                for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
                tblpr = f'<w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{edges}</w:tblBorders></w:tblPr>'
            x = f"<w:tbl>{tblpr}<w:tblGrid>{grid}</w:tblGrid>"
            for row in rows:
                x += "<w:tr>" + "".join(
                    f'<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>{para(normal, c)}</w:tc>' for c in row
                ) + "</w:tr>"
            out.append(x + "</w:tbl>")
            out.append("<w:p/>")
    return "".join(out)


def templates(corpus):
    rows = list(csv.DictReader(open(os.path.join(corpus, "manifest.csv"), encoding="utf-8")))
    out = []
    for row in rows:
        if row["kind"] != "docx" or "Microsoft" not in (row.get("app_xml_application") or ""):
            continue
        path = os.path.join(corpus, "files", row["file"])
        if not os.path.exists(path) or os.path.getsize(path) > MAX_TEMPLATE_BYTES:
            continue
        try:
            z = zipfile.ZipFile(path)
            doc = z.read("word/document.xml").decode("utf-8")
            styles = z.read("word/styles.xml").decode("utf-8")
        except (KeyError, zipfile.BadZipFile, UnicodeDecodeError):
            continue
        if W not in doc or "<w:body>" not in doc or "</w:body>" not in doc or "soffice conversion failed" in row["notes"]:
            continue
        out.append((row["file"], path))
    return sorted(out)


def build(r, i, name, path, out_path):
    z = zipfile.ZipFile(path)
    doc = z.read("word/document.xml").decode("utf-8")
    styles = z.read("word/styles.xml").decode("utf-8")
    numbering = z.read("word/numbering.xml").decode("utf-8") if "word/numbering.xml" in z.namelist() else ""
    ids = style_ids(styles)
    bullet, decimal = lists_of(numbering)
    start = doc.index("<w:body>") + len("<w:body>")
    end = doc.rindex("</w:body>")
    inner = doc[start:end]
    s = inner.rfind("<w:sectPr")
    final_sect = inner[s:] if s >= 0 and inner.rstrip().endswith("</w:sectPr>") else ""
    width, height, size, line, after = page_of(doc, styles)
    features = {"h2", "lists", "numbered"}
    if r.random() < 0.3:
        features.add("table")
    if r.random() < 0.3:
        features.add("quote")
    wpp = essaylib.words_per_page("", size, line, width, height, after)
    target = int(wpp * CALIBRATION * essaylib.target_pages(r) * r.uniform(0.95, 1.05))
    blocks = essaylib.essay(r, target, features)
    body = body_of(r, blocks, ids, bullet, decimal, size)
    new_doc = doc[:start] + body + final_sect + doc[end:]
    zout = zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED)
    for item in z.infolist():
        data = new_doc.encode("utf-8") if item.filename == "word/document.xml" else z.read(item.filename)
        zout.writestr(item, data)
    zout.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=105)
    ap.add_argument("--corpus", default="/work/shared/corpus")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".docx"):
            os.remove(os.path.join(OUT, f))
    tpl = templates(a.corpus)
    if not tpl:
        sys.exit("no Word-saved templates found in the corpus")
    used = {}
    for i in range(a.count):
        r = random.Random(SEED * 1000 + i)
        name, path = tpl[i % len(tpl)]
        used[name] = used.get(name, 0) + 1
        build(r, i, name, path, os.path.join(OUT, f"{i:03}.docx"))
    with open(os.path.join(OUT, "templates.txt"), "w", encoding="utf-8") as f:
        f.write("# NNN.docx -> the corpus template it was made from (/work/shared/corpus/files/)\n")
        for i in range(a.count):
            f.write(f"{i:03}.docx {tpl[i % len(tpl)][0]}\n")
    print(f"word-templates: {a.count} files from {len(tpl)} templates in {OUT}")


if __name__ == "__main__":
    main()
