#!/usr/bin/env python3
"""Producer "python-docx": essays written with python-docx's default template (which is Word's),
into inspection/tests/producers/python-docx/NNN.docx.

  python3 inspection/tools/producers/gen_python_docx.py [--count N]

What Word itself writes: theme fonts (the template's minor font) or an explicit Normal font,
Word 2013's Normal (11 pt, after 160, line 1.08) in some, lists through numbering.xml ("List
Bullet", "List Number"), a header with a PAGE field, keep-lines-together on some paragraphs, widow
control off in some, A4 and Letter, a "Table Grid" table in some.
"""

import argparse
import os
import random
import sys

from docx import Document
from docx.enum.section import WD_SECTION  # noqa: F401
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import essaylib  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "tests", "producers"))
OUT = os.path.join(ROOT, "python-docx")
# measured: the words-per-page estimate overshoots this producer's pages by 1/CALIBRATION
CALIBRATION = 0.65
SEED = 0x9D0C5

PAGES = {"A4": (11906, 16838), "Letter": (12240, 15840)}


def page_field(paragraph):
    """PAGE as Word writes it: a complex field with a cached result."""
    def fld(kind):
        r = OxmlElement("w:r")
        c = OxmlElement("w:fldChar")
        c.set(qn("w:fldCharType"), kind)
        r.append(c)
        return r
    p = paragraph._p
    p.append(fld("begin"))
    r = OxmlElement("w:r")
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = " PAGE "
    r.append(t)
    p.append(r)
    p.append(fld("separate"))
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    p.append(r)
    p.append(fld("end"))


def build(r, i, path):
    doc = Document()
    font = r.choice(["theme", "theme", "Calibri", "Times New Roman", "Arial", "Cambria"])
    word2013 = r.random() < 0.5
    normal = doc.styles["Normal"]
    size = 11 if word2013 else r.choice([11, 12])
    if font != "theme":
        normal.font.name = font
    normal.font.size = Pt(size)
    pf = normal.paragraph_format
    if word2013:
        pf.space_after = Twips(160)
        pf.line_spacing = 1.08
    else:
        pf.line_spacing = r.choice([1.0, 1.15, 1.5])
        pf.space_after = Twips(r.choice([0, 120, 200]))
    widows = r.random() < 0.7
    if not widows:
        pf.widow_control = False
    justify = r.random() < 0.3

    paper = r.choice(["A4", "A4", "Letter"])
    w, h = PAGES[paper]
    margin = r.choice([1440, 1134, 1418, 1800])
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(w), Twips(h)
    sec.left_margin = sec.right_margin = Twips(margin)
    sec.top_margin = sec.bottom_margin = Twips(r.choice([1440, 1134, margin]))
    header = r.random() < 0.6
    if header:
        sec.header_distance = Twips(708)
        hp = sec.header.paragraphs[0]
        hp.text = f"Vacancy {260000 + i} | Key challenges | page "
        page_field(hp)
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if r.random() < 0.3:
        fp = sec.footer.paragraphs[0]
        page_field(fp)
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    features = {"h2", "lists", "numbered"}
    if r.random() < 0.3:
        features.add("table")
    if r.random() < 0.3:
        features.add("quote")
    fam = "Cambria" if font == "theme" else font
    line = pf.line_spacing if isinstance(pf.line_spacing, float) else 1.0
    wpp = essaylib.words_per_page(fam, size, line, (w - 2 * margin) / 20,
                                  (h - 2 * sec.top_margin.twips) / 20 - (25 if header else 0),
                                  (pf.space_after.twips if pf.space_after is not None else 200) / 20)
    target = int(wpp * CALIBRATION * essaylib.target_pages(r) * r.uniform(0.95, 1.05))
    blocks = essaylib.essay(r, target, features)
    keep = r.random() < 0.4
    for b in blocks:
        k = b[0]
        if k == "title":
            doc.add_paragraph(b[1], style="Title" if r.random() < 0.6 else "Heading 1")
        elif k == "h1":
            doc.add_heading(b[1], level=1)
        elif k == "h2":
            doc.add_heading(b[1], level=2)
        elif k == "p":
            p = doc.add_paragraph(b[1])
            if justify:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if keep and r.random() < 0.3:
                p.paragraph_format.keep_together = True
        elif k in ("bullets", "numbers"):
            st = "List Bullet" if k == "bullets" else "List Number"
            for t in b[1]:
                doc.add_paragraph(t, style=st)
        elif k == "quote":
            doc.add_paragraph(b[1], style="Quote")
        elif k == "table":
            rows = b[1]
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for ri, row in enumerate(rows):
                for ci, c in enumerate(row):
                    t.cell(ri, ci).text = c
    doc.core_properties.author = "Candidate"
    doc.save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=105)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".docx"):
            os.remove(os.path.join(OUT, f))
    for i in range(a.count):
        r = random.Random(SEED * 1000 + i)
        build(r, i, os.path.join(OUT, f"{i:03}.docx"))
    print(f"python-docx: {a.count} files in {OUT}")


if __name__ == "__main__":
    main()
