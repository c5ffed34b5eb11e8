#!/usr/bin/env python3
"""Differential testing of the layout engine against LibreOffice 7.4.

Generates random essay-like .docx files across the feature space, converts them in batches with
LibreOffice, reads LibreOffice's page count (pdfinfo) and the first word of every page (the body
only, as tools/producers/make_reference.py reads it: its own functions are imported), runs our
engine on the same files, and groups the disagreements by kind.

  python3 inspection/tools/differential/differential.py [--minutes 30] [--batch 200] [--seed N]
      [--quiet 2000] [--rebuild] [--work /tmp/differential]
  python3 inspection/tools/differential/differential.py --replay /tmp/differential/docs.jsonl

It works in rounds of --batch documents until --quiet (default 2000) documents in a row bring no
new kind of disagreement, or until --minutes run out, then writes a markdown report to stdout and
to inspection/tools/differential/last-report.md. Generated files live in /tmp/differential/ (the
disagreeing ones are kept, with their PDF and features, as examples; the others are deleted; every
document's features and results are in /tmp/differential/docs.jsonl, which --replay reads to
make the kinds and the report again, without LibreOffice).

The engine is the ignored test `inspect_producer_files` of inspection/tests/producers.rs, built
(`cargo test -p inspection --test producers --no-run`) and copied to the work folder the first
time, or again with --rebuild, so that a rebuild in the working tree during a run does not change
the engine under test. It reads files relative to tests/producers/; a path climbing out of it
with ../ reaches /tmp.

Kinds. Every document records its features (see FEATURES; categorical settings such as
font=Arial or line=exact are features too, one value per document, and so are header>top and
footer>bottom: a running head or foot taller than its margin). A document disagrees when
LibreOffice and the engine give different page counts ("pages"), or the same count but a
different first word on some page ("starts"). The features of one document are too many to name
a kind (no two documents share them all), so the kind of a disagreement is the smallest set of
its features that distinguishes the disagreeing documents from the agreeing ones: the documents
are split by a decision tree whose every split is the feature whose presence most raises the
disagreement rate in that node (one-sided Fisher exact test, p below 0.01 / number of features
tried, at least 3 disagreements and a rate at least 1.5 times the rate without it). The kind of
a disagreeing document is the sorted list of the features present along its path from the root
to its leaf (at most 4), "(no feature)" when no split singles it out. The tree is rebuilt after
every round on all documents so far; a kind is new the first time it appears in a tree, and the
run stops once --quiet documents have passed without a new one.

Why statistics and not reduction of each document (remove a feature, see whether it still
disagrees): any change moves the page breaks, and a document whose breaks moved agrees about as
often as a fresh one (80 % of the time), so one document's reduction says little. Removing the
Title style's border from 30 disagreeing documents made 16 agree: less than chance.
"""

import argparse
import html
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips

sys.dont_write_bytecode = True  # no __pycache__ in tools/producers/
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "producers"))
import essaylib  # noqa: E402
import make_reference  # noqa: E402

WORK = "/tmp/differential"
PROFILE = "file:///tmp/lo-differential"
REPORT = os.path.join(HERE, "last-report.md")
PRODUCERS_DIR = os.path.join(REPO, "inspection", "tests", "producers")
PAGES = {"A4": (11906, 16838), "Letter": (12240, 15840)}
# the words-per-page estimate overshoots these documents' pages by about 1/CALIBRATION
CALIBRATION = 0.62

# Optional features and how often a document has each; categorical settings are drawn in draw().
FEATURES = {
    "space_before": 0.3,      # Normal has space before
    "contextual": 0.2,        # Normal has contextualSpacing
    "justify": 0.3,           # body text justified
    "first_line": 0.3,        # body paragraphs' first-line indent
    "hanging": 0.15,          # some body paragraphs with a hanging indent (a reference list)
    "quote": 0.15,            # an indented italic paragraph
    "list_bullet": 0.3,       # "List Bullet" (template numbering.xml)
    "list_number": 0.25,      # "List Number"
    "list_custom": 0.2,       # our own w:abstractNum: other indents, label, suffix
    "heading_styles": 0.5,    # Heading 1/2 (template: keepNext, keepLines, theme major font)
    "title_style": 0.3,       # the Title style (bottom border, contextualSpacing)
    "keep_next": 0.4,         # direct headings with keepNext (when not heading_styles)
    "keep_next_body": 0.12,   # some body paragraphs with keepNext (chains)
    "keep_lines": 0.25,       # some body paragraphs with keepLines
    "page_break_before": 0.12,
    "page_break_run": 0.08,   # a w:br w:type="page" in a run
    "section_break": 0.08,    # a second section, starting on a new page
    "table": 0.25,            # a short Table Grid table
    "table_long": 0.12,       # a table of 12-30 rows (crosses a page)
    "table_header": 0.5,      # (of documents with a table) first row w:tblHeader
    "table_cant_split": 0.3,  # (of documents with a table) rows with w:cantSplit
    "header": 0.45,           # a header with a PAGE field
    "header_multiline": 0.25,  # (of documents with a header) a 3-line header
    "footer": 0.35,           # a footer with a PAGE field
    "title_pg": 0.3,          # (of documents with a header or footer) a different first page
    "footnotes": 0.2,         # footnotes.xml written by hand
    "grid_lines": 0.1,        # w:docGrid w:type="lines" w:linePitch
    "tabs_custom": 0.15,      # paragraphs with custom tab stops (right with dots, centre, left)
    "tabs_default": 0.1,      # paragraphs with tab characters on the default stops
    "para_border": 0.15,      # headings with a bottom border (w:pBdr, like the Title style's)
    "mixed_runs": 0.3,        # bold and italic words inside paragraphs
    "font_mix": 0.1,          # a paragraph in another font
    "empty_paras": 0.15,      # empty paragraphs between sections
    "manual_br": 0.12,        # line breaks inside paragraphs
}
DEPENDENT = {
    "table_header": ("table", "table_long"),
    "table_cant_split": ("table", "table_long"),
    "header_multiline": ("header",),
    "title_pg": ("header", "footer"),
}
FONTS = ["Calibri", "Cambria", "Times New Roman", "Arial", "theme"]
SIZES = [10, 10.5, 11, 11, 12, 12]
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
             "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
             "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
             "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


# ---------------------------------------------------------------------------------------------
# documents


def draw(seed):
    """A document's specification: its seed, settings and features."""
    r = random.Random(seed)
    spec = {"seed": seed}
    spec["paper"] = r.choice(["A4", "A4", "Letter"])
    spec["font"] = r.choice(FONTS)
    spec["size"] = r.choice(SIZES)
    spec["line"] = r.choice(["single", "multiple", "multiple", "multiple", "exact", "atLeast"])
    if spec["line"] == "multiple":
        spec["line_val"] = r.choice([259, 264, 276, 288, 300, 312, 336, 360])
    elif spec["line"] == "exact":
        spec["line_val"] = int(spec["size"] * 20 * r.choice([1.1, 1.15, 1.2, 1.3, 1.5]))
    elif spec["line"] == "atLeast":
        spec["line_val"] = int(spec["size"] * 20 * r.choice([0.9, 1.1, 1.2, 1.4]))
    else:
        spec["line_val"] = 240
    spec["widows"] = r.choice(["on", "on", "off", "unset"])
    spec["margins"] = [r.choice([720, 1000, 1134, 1247, 1417, 1440, 1440, 1701, 1800]) for _ in range(4)]
    spec["after"] = r.choice([0, 60, 120, 160, 200, 240])
    spec["header_dist"] = r.choice([360, 567, 708, 720])
    feats = set()
    for f, p in FEATURES.items():
        if f in DEPENDENT:
            continue
        if r.random() < p:
            feats.add(f)
    for f, needs in DEPENDENT.items():
        if any(n in feats for n in needs) and r.random() < FEATURES[f]:
            feats.add(f)
    spec["before"] = r.choice([60, 120, 240]) if "space_before" in feats else 0
    spec["first_line"] = r.choice([284, 360, 567, 720]) if "first_line" in feats else 0
    spec["grid_pitch"] = r.choice([240, 276, 312, 360, 400]) if "grid_lines" in feats else 0
    spec["features"] = sorted(feats)
    spec["target_pages"] = r.choice([0.95, 1.0, 1.05, 1.5, 1.9, 1.95, 2.0, 2.05, 2.1, 2.5, 2.9, 3.0])
    spec["amount"] = r.uniform(0.92, 1.08)
    return spec


def all_features(spec):
    """The features a kind can name: the optional ones and the categorical settings."""
    fs = set(spec["features"])
    fs.add("paper=" + spec["paper"])
    fs.add("font=" + spec["font"])
    fs.add("size=" + str(spec["size"]))
    fs.add("line=" + spec["line"])
    fs.add("widows=" + spec["widows"])
    if min(spec["margins"]) < 1000:
        fs.add("margins<1000")
    if spec["after"] == 0:
        fs.add("after=0")
    # a running head or foot taller than its margin: LibreOffice moves the body's edge
    line = spec["size"] * 1.25 * 20
    if "header" in fs and spec["header_dist"] + line * (3 if "header_multiline" in fs else 1) > spec["margins"][0]:
        fs.add("header>top")
    if "footer" in fs and spec["header_dist"] + line > spec["margins"][2]:
        fs.add("footer>bottom")
    return fs


def set_ppr(ppr, tag, **attrs):
    """Sets (replacing) child w:`tag` of a w:pPr, in schema order, with attributes `attrs`."""
    for old in ppr.findall(qn("w:" + tag)):
        ppr.remove(old)
    el = OxmlElement("w:" + tag)
    for k, v in attrs.items():
        el.set(qn("w:" + k), str(v))
    pos = PPR_ORDER.index(tag)
    for i, child in enumerate(ppr):
        name = child.tag.split("}")[-1]
        if name in PPR_ORDER and PPR_ORDER.index(name) > pos:
            ppr.insert(i, el)
            return el
    ppr.append(el)
    return el


def fonts_el(font):
    rf = OxmlElement("w:rFonts")
    for a in ("ascii", "hAnsi", "cs", "eastAsia"):
        rf.set(qn("w:" + a), font)
    return rf


def page_field(paragraph):
    """PAGE as Word writes it: a complex field with a cached result."""
    p = paragraph._p
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = OxmlElement("w:r")
        if kind:
            c = OxmlElement("w:fldChar")
            c.set(qn("w:fldCharType"), kind)
            r.append(c)
        else:
            t = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            r.append(t)
        p.append(r)


CUSTOM_NUM = """<w:abstractNum {ns} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>
<w:lvlJc w:val="left"/><w:suff w:val="{suff}"/><w:pPr><w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr>
{rpr}</w:lvl></w:abstractNum>"""


def add_custom_numbering(doc, r):
    """An abstractNum and num of our own in the template's numbering.xml; returns the numId."""
    numbering = doc.part.numbering_part.element
    aids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    nids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    aid, nid = max(aids) + 1, max(nids) + 1
    fmt, text, rpr = r.choice([
        ("decimal", "%1)", ""), ("decimal", "(%1)", ""), ("lowerLetter", "%1.", ""),
        ("upperRoman", "%1.", ""),
        ("bullet", "\u2013", ""),
        ("bullet", "\uf0b7", '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr>'),
    ])
    left = r.choice([360, 567, 720, 1080])
    hang = r.choice([283, 360, 425]) if left > 360 else 360
    el = parse_xml(CUSTOM_NUM.format(ns=nsdecls("w"), aid=aid, fmt=fmt, text=text,
                                     suff=r.choice(["tab", "tab", "space"]), left=left, hang=hang,
                                     rpr=rpr))
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(el)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/></w:num>')
    numbering.append(num)
    return nid


FOOTNOTES = """<w:footnotes {ns}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
{notes}</w:footnotes>"""
NOTE = """<w:footnote w:id="{id}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>
<w:r><w:rPr><w:sz w:val="{sz}"/></w:rPr><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>"""


def build(spec, path):
    """Writes the document of `spec` to `path`; deterministic in the spec."""
    r = random.Random(spec["seed"] * 7919 + 1)
    feats = set(spec["features"])
    doc = Document()
    font, size = spec["font"], spec["size"]
    # Normal
    normal = doc.styles["Normal"]
    if font != "theme":
        rpr = normal.element.get_or_add_rPr()
        rpr.insert(0, fonts_el(font))
    normal.font.size = Pt(size)
    ppr = normal.element.get_or_add_pPr()
    rule = {"single": "auto", "multiple": "auto", "exact": "exact", "atLeast": "atLeast"}[spec["line"]]
    set_ppr(ppr, "spacing", before=spec["before"], after=spec["after"], line=spec["line_val"], lineRule=rule)
    if spec["widows"] == "on":
        set_ppr(ppr, "widowControl")
    elif spec["widows"] == "off":
        set_ppr(ppr, "widowControl", val="0")
    if "contextual" in feats:
        set_ppr(ppr, "contextualSpacing")
    if spec["first_line"]:
        set_ppr(ppr, "ind", firstLine=spec["first_line"])
    if "justify" in feats:
        set_ppr(ppr, "jc", val="both")
    # page
    w, h = PAGES[spec["paper"]]
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(w), Twips(h)
    top, right, bottom, left = spec["margins"]
    sec.top_margin, sec.right_margin, sec.bottom_margin, sec.left_margin = map(Twips, (top, right, bottom, left))
    sec.header_distance = sec.footer_distance = Twips(spec["header_dist"])
    grid = sec._sectPr.find(qn("w:docGrid"))
    if "grid_lines" in feats:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(spec["grid_pitch"]))
    if "header" in feats:
        hp = sec.header.paragraphs[0]
        hp.text = f"Vacancy {260000 + spec['seed'] % 10000} | Key challenges | page "
        page_field(hp)
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if "header_multiline" in feats:
            sec.header.add_paragraph("Candidate 4711")
            sec.header.add_paragraph("Directorate of Policy and Planning")
    if "footer" in feats:
        fp = sec.footer.paragraphs[0]
        page_field(fp)
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if "title_pg" in feats:
        sec.different_first_page_header_footer = True
        sec.first_page_header.paragraphs[0].text = "Key challenges (first page)"

    text_w = (w - left - right) / 20
    body_h = (h - top - bottom) / 20
    fam = "Calibri" if font == "theme" else font
    factor = spec["line_val"] / 240 if spec["line"] == "multiple" else (
        spec["line_val"] / (size * 24) if spec["line"] in ("exact", "atLeast") else 1.0)
    wpp = essaylib.words_per_page(fam, size, max(factor, 1.0), text_w, body_h,
                                  (spec["after"] + spec["before"]) / 20)
    target = int(wpp * CALIBRATION * spec["target_pages"] * spec["amount"])

    # the features the document really has (one drawn may find no place)
    used = feats & {"space_before", "contextual", "justify", "first_line", "header", "header_multiline",
                    "footer", "title_pg", "grid_lines", "heading_styles", "title_style"}
    custom_num = add_custom_numbering(doc, r) if "list_custom" in feats else None
    notes = []
    other_font = {"Calibri": "Cambria", "Cambria": "Arial", "Times New Roman": "Arial",
                  "Arial": "Times New Roman", "theme": "Times New Roman"}[font]
    words = 0

    def para(text, style=None):
        nonlocal words
        words += len(text.split())
        p = doc.add_paragraph(style=style)
        if "mixed_runs" in feats and r.random() < 0.5:
            used.add("mixed_runs")
            parts = text.split(" ")
            i = 0
            while i < len(parts):
                n = r.randint(3, 12)
                chunk = " ".join(parts[i:i + n]) + (" " if i + n < len(parts) else "")
                run = p.add_run(chunk)
                roll = r.random()
                if roll < 0.15:
                    run.bold = True
                elif roll < 0.3:
                    run.italic = True
                i += n
        elif "manual_br" in feats and r.random() < 0.3 and ". " in text:
            used.add("manual_br")
            parts = text.split(". ")
            for i, s in enumerate(parts):
                run = p.add_run(s + ("." if i + 1 < len(parts) else ""))
                if i + 1 < len(parts):
                    run.add_break()
        else:
            p.add_run(text)
        return p

    def heading(text, level):
        nonlocal words
        words += len(text.split())
        p = doc.add_heading(text, level=level) if "heading_styles" in feats else doc.add_paragraph()
        if "para_border" in feats:
            used.add("para_border")
            bdr = set_ppr(p._p.get_or_add_pPr(), "pBdr")
            b = OxmlElement("w:bottom")
            for k, v in (("val", "single"), ("sz", r.choice([4, 8, 12])), ("space", r.choice([1, 4, 8])),
                         ("color", "4F81BD")):
                b.set(qn("w:" + k), str(v))
            bdr.append(b)
        if "heading_styles" in feats:
            return p
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size + (4 if level == 1 else 2))
        p.paragraph_format.space_before = Pt(r.choice([6, 12, 18]))
        p.paragraph_format.space_after = Pt(r.choice([3, 6]))
        if "keep_next" in feats:
            used.add("keep_next")
            p.paragraph_format.keep_with_next = True
        return p

    # title
    if "title_style" in feats:
        doc.add_paragraph("Key challenges", style="Title")
    else:
        heading("Key challenges", 1).alignment = WD_ALIGN_PARAGRAPH.CENTER if r.random() < 0.5 else None
    heads = r.sample(essaylib.HEADINGS, len(essaylib.HEADINGS))
    para_len = r.choice([(20, 60), (40, 120), (60, 180)])
    did = set()
    para(essaylib.text_of(r, r.randint(*para_len)))
    hi = 0
    while words < target:
        if "empty_paras" in feats and r.random() < 0.5:
            used.add("empty_paras")
            doc.add_paragraph()
        h = heading(heads[hi % len(heads)], 2 if r.random() < 0.3 else 1)
        hi += 1
        if "page_break_before" in feats and "pbb" not in did and words > target * 0.4:
            did.add("pbb")
            used.add("page_break_before")
            h.paragraph_format.page_break_before = True
        if "section_break" in feats and "sect" not in did and words > target * 0.5:
            did.add("sect")
            used.add("section_break")
            doc.add_section(WD_SECTION.NEW_PAGE)
        for _ in range(r.randint(1, 4)):
            if words >= target:
                break
            roll = r.random()
            lists = [f for f in ("list_bullet", "list_number", "list_custom") if f in feats]
            if lists and (roll < 0.2 and "list" not in did or roll < 0.07):
                did.add("list")
                kind = r.choice(lists)
                used.add(kind)
                for _ in range(r.randint(2, 6)):
                    t = essaylib.text_of(r, r.randint(5, 40))
                    if kind == "list_bullet":
                        para(t, "List Bullet")
                    elif kind == "list_number":
                        para(t, "List Number")
                    else:
                        p = para(t)
                        numpr = set_ppr(p._p.get_or_add_pPr(), "numPr")
                        il, ni = OxmlElement("w:ilvl"), OxmlElement("w:numId")
                        il.set(qn("w:val"), "0")
                        ni.set(qn("w:val"), str(custom_num))
                        numpr.append(il)
                        numpr.append(ni)
                        if "contextual" not in feats and r.random() < 0.5:
                            set_ppr(p._p.get_or_add_pPr(), "contextualSpacing")
                continue
            tables = [f for f in ("table", "table_long") if f in feats and f not in did]
            if tables and 0.75 < roll <= 0.9:
                kind = r.choice(tables)
                did.add(kind)
                used.add(kind)
                cols = r.randint(2, 3) if kind == "table_long" else r.randint(2, 4)
                nrows = r.randint(3, 7) if kind == "table" else r.randint(12, 30)
                t = doc.add_table(rows=nrows, cols=cols)
                t.style = "Table Grid"
                for ci in range(cols):
                    t.cell(0, ci).text = r.choice(essaylib.HEADINGS)
                for ri in range(1, nrows):
                    for ci in range(cols):
                        t.cell(ri, ci).text = essaylib.text_of(r, r.randint(2, 16))
                words += nrows * cols * 8
                for ri, row in enumerate(t.rows):
                    trpr = row._tr.get_or_add_trPr()
                    if ri == 0 and "table_header" in feats:
                        used.add("table_header")
                        trpr.append(OxmlElement("w:tblHeader"))
                    if "table_cant_split" in feats:
                        used.add("table_cant_split")
                        trpr.insert(0, OxmlElement("w:cantSplit"))
                doc.add_paragraph()
                continue
            if "quote" in feats and "quote" not in did and roll > 0.9:
                did.add("quote")
                used.add("quote")
                p = para(essaylib.text_of(r, r.randint(15, 60)))
                p.paragraph_format.left_indent = Twips(720)
                p.paragraph_format.right_indent = Twips(720)
                p.paragraph_format.first_line_indent = Twips(0)
                for run in p.runs:
                    run.italic = True
                continue
            if "tabs_custom" in feats and roll < 0.3 and "tabs" not in did:
                did.add("tabs")
                used.add("tabs_custom")
                stops = r.choice([
                    [(WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS, 1.0)],
                    [(WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.SPACES, 0.3), (WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.SPACES, 1.0)],
                    [(WD_TAB_ALIGNMENT.CENTER, WD_TAB_LEADER.SPACES, 0.5), (WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS, 1.0)],
                    [(WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.SPACES, 0.25), (WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.SPACES, 0.6)],
                ])
                for _ in range(r.randint(3, 6)):
                    cells = [essaylib.text_of(r, r.randint(1, 3)).rstrip(".") for _ in range(len(stops) + 1)]
                    p = para("\t".join(cells))
                    for al, lead, at in stops:
                        at_twips = int((w - left - right) * at) - (10 if at == 1.0 else 0)
                        p.paragraph_format.tab_stops.add_tab_stop(Twips(at_twips), al, lead)
                continue
            if "tabs_default" in feats and roll < 0.3 and "tabs" not in did:
                did.add("tabs")
                used.add("tabs_default")
                for _ in range(r.randint(2, 5)):
                    para(f"{r.randint(1, 9)}.\t" + essaylib.text_of(r, r.randint(6, 30)))
                continue
            t = essaylib.text_of(r, min(r.randint(*para_len), max(target - words, 8)))
            if "footnotes" in feats and len(notes) < 4 and r.random() < 0.35:
                nid = len(notes) + 1
                used.add("footnotes")
                notes.append(essaylib.text_of(r, r.randint(6, 60)))
                cut = t.find(". ", len(t) // 3)
                cut = len(t) - 1 if cut < 0 else cut + 1
                p = para(t[:cut])
                ref = OxmlElement("w:r")
                rpr = OxmlElement("w:rPr")
                va = OxmlElement("w:vertAlign")
                va.set(qn("w:val"), "superscript")
                rpr.append(va)
                ref.append(rpr)
                fr = OxmlElement("w:footnoteReference")
                fr.set(qn("w:id"), str(nid))
                ref.append(fr)
                p._p.append(ref)
                p.add_run(t[cut:])
            else:
                p = para(t)
            if "hanging" in feats and r.random() < 0.25:
                used.add("hanging")
                p.paragraph_format.left_indent = Twips(720)
                p.paragraph_format.first_line_indent = Twips(-r.choice([360, 567, 720]))
            if "keep_lines" in feats and r.random() < 0.3:
                used.add("keep_lines")
                p.paragraph_format.keep_together = True
            if "keep_next_body" in feats and r.random() < 0.3:
                used.add("keep_next_body")
                p.paragraph_format.keep_with_next = True
            if "font_mix" in feats and "fontmix" not in did and r.random() < 0.3:
                did.add("fontmix")
                used.add("font_mix")
                for run in p.runs:
                    run.font.name = other_font
            if "page_break_run" in feats and "pbr" not in did and words > target * 0.3:
                did.add("pbr")
                used.add("page_break_run")
                p.add_run().add_break(WD_BREAK.PAGE)
    # the last section's header settings apply to the new section too (linked), fine
    if notes:
        xml = FOOTNOTES.format(ns=nsdecls("w"), notes="".join(
            NOTE.format(id=i + 1, sz=int(size * 2 - 4), text=html.escape(n)) for i, n in enumerate(notes)))
        part = Part(PackURI("/word/footnotes.xml"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                    xml.encode("utf-8"), doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
    doc.core_properties.author = "Candidate"
    doc.save(path)
    return sorted(used)


# ---------------------------------------------------------------------------------------------
# LibreOffice and the engine


def convert(files, outdir, timeout):
    """PDFs of `files` into outdir, one soffice call (falls back to halves when it dies)."""
    if not files:
        return
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={PROFILE}", "--convert-to", "pdf",
                        "--outdir", outdir] + files, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    missing = [f for f in files if not os.path.exists(os.path.join(outdir, os.path.basename(f)[:-5] + ".pdf"))]
    if missing and len(missing) < len(files):
        convert(missing, outdir, timeout)


# The running heads and feet these documents have (build()): rows with exactly this text are not
# body, wherever they are; a header taller than the top margin leaves the margin test of
# make_reference.py behind.
HEAD_ROW = re.compile(r"^(Vacancy \d+ \| Key challenges \| page \d+|Candidate 4711|"
                      r"Directorate of Policy and Planning|Key challenges \(first page\)|\d+)$")


def page_starts(docx, pdf):
    """make_reference.page_starts, and rows of our running heads dropped by their text."""
    top, bottom = make_reference.margins_pt(docx)
    pages = make_reference.pages_words(pdf)
    body_rows = []
    for height, words in pages:
        body = [w for w in words if top <= (w[1] + w[3]) / 2 <= height - bottom]
        rows = make_reference.rows_of(body)
        body_rows.append([row for row in rows if not HEAD_ROW.match(" ".join(row[1]))])
    starts = []
    for rows in body_rows:
        ws = [w for _, r in rows for w in r]
        while ws and make_reference.LABEL.match(ws[0]):
            ws = ws[1:]
        starts.append(" ".join(" ".join(ws[:make_reference.WORDS_PER_START]).split()))
    return len(pages), starts


def libreoffice(docx, pdf):
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    n, starts = page_starts(docx, pdf)
    assert n == pages, (docx, n, pages)
    return pages, starts


def engine_binary(rebuild):
    """The test binary of inspection/tests/producers.rs, built once, copied to WORK."""
    dst = os.path.join(WORK, "engine-producers")
    if os.path.exists(dst) and not rebuild:
        return dst
    out = subprocess.run(["cargo", "test", "-p", "inspection", "--test", "producers", "--no-run",
                          "--message-format=json"], cwd=REPO, check=True, capture_output=True, text=True).stdout
    exe = None
    for line in out.splitlines():
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "producers":
            exe = m["executable"]
    if not exe:
        sys.exit("no test binary for inspection/tests/producers.rs")
    shutil.copy2(exe, dst)
    return dst


def engine(binary, files):
    """{file: facts} from the engine, for absolute paths `files` (read relative to
    tests/producers/ by the test, hence the climb)."""
    climb = "../" * (PRODUCERS_DIR.count("/") + 1)
    rel = {climb.rstrip("/") + f: f for f in files}
    env = dict(os.environ, PRODUCER_FILES=" ".join(rel))
    out = subprocess.run([binary, "--ignored", "--exact", "inspect_producer_files", "--nocapture",
                          "--test-threads=1"], env=env, capture_output=True, text=True, timeout=3600).stdout
    dec = json.JSONDecoder()
    facts = {}
    for rp, f in rel.items():
        i = out.find(rp + ": {")
        if i < 0:
            continue
        facts[f], _ = dec.raw_decode(out, i + len(rp) + 2)
    return facts


def is_label(w):
    """producers.rs's is_label (and upper-case Roman numbers): a bullet or a number like "2.",
    "b)", "iv.", "IV."."""
    if w[-1:] not in (".", ")"):
        return not any(c.isalnum() for c in w)
    stem = w[:-1]
    return bool(stem) and (stem.isdigit() and stem.isascii() or len(stem) == 1 and stem.isascii() and stem.isalpha()
                           or all(c in "ivxlc" for c in stem) or all(c in "IVXLC" for c in stem))


GLUED_LABEL = re.compile(r"^\(?(\d+|[a-zA-Z]|[ivxlcIVXLC]+)[.)](\S+)$")


def first_word(s):
    """The first word after a list label. Also "(5)" labels, and a label that pdftotext glued to
    the text after a space-suffixed number ("VI.Consensus")."""
    for w in s.split():
        if is_label(w) or re.match(r"^\(\d+\)$", w):
            continue
        m = GLUED_LABEL.match(w)
        return m.group(2) if m and m.group(2)[0].isupper() else w
    return ""


# ---------------------------------------------------------------------------------------------
# kinds


def log_comb(n, k):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_greater(d1, n1, d, n):
    """P(X >= d1), X hypergeometric: n1 drawn of n, d of them disagreeing."""
    lo, hi = max(d1, 0), min(n1, d)
    if lo > hi:
        return 1.0
    den = log_comb(n, n1)
    return min(1.0, sum(math.exp(log_comb(d, k) + log_comb(n - d, n1 - k) - den) for k in range(lo, hi + 1)))


MAX_FEATURES = 4
MIN_SPLIT_D = 3
MIN_LIFT = 1.5


def tree(docs, used=()):
    """A decision tree over feature presence; returns [(path features, docs of the leaf)]. A kind
    names at most MAX_FEATURES features; the branches without a feature go on splitting (each
    split removes a feature from the candidates, so they end)."""
    n = len(docs)
    d = sum(1 for x in docs if x["bad"])
    if d < MIN_SPLIT_D:
        return [(used, docs)]
    cand = set().union(*(x["all"] for x in docs)) - set(used)
    best = None
    for f in sorted(cand):
        n1 = sum(1 for x in docs if f in x["all"])
        d1 = sum(1 for x in docs if f in x["all"] and x["bad"])
        n0, d0 = n - n1, d - d1
        if n0 == 0 or d1 < MIN_SPLIT_D:
            continue
        if d1 / n1 < MIN_LIFT * max(d0 / n0, 1e-9) and d0 > 0:
            continue
        p = fisher_greater(d1, n1, d, n)
        if best is None or p < best[0]:
            best = (p, f)
    if best is None or best[0] > 0.01 / max(len(cand), 1):
        return [(used, docs)]
    f = best[1]
    with_f = [x for x in docs if f in x["all"]]
    without = [x for x in docs if f not in x["all"]]
    below = tree(with_f, used + (f,)) if len(used) + 1 < MAX_FEATURES else [(used + (f,), with_f)]
    return below + tree(without, used)


def kind_name(path):
    """A kind: the sorted features of a leaf's path."""
    return " + ".join(sorted(path)) if path else "(no feature)"


# ---------------------------------------------------------------------------------------------
# the run


def compare(x):
    """"pages", "starts" or None: how the engine's answer differs from LibreOffice's."""
    if x["our_pages"] != x["lo_pages"]:
        return "pages"
    if len(x["lo_starts"]) != len(x["our_starts"]) or any(
            first_word(a) != first_word(b) for a, b in zip(x["lo_starts"], x["our_starts"])):
        return "starts"
    return None


def run_round(rnd, seeds, binary, timeout):
    d = os.path.join(WORK, f"round-{rnd:03}")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "pdf"))
    docs = []
    for s in seeds:
        spec = draw(s)
        path = os.path.join(d, f"{s}.docx")
        try:
            spec["features"] = build(spec, path)
        except Exception as e:  # a generator bug: say so, skip the document
            print(f"seed {s}: not generated: {e!r}", file=sys.stderr)
            continue
        spec["file"] = path
        docs.append(spec)
    t0 = time.time()
    convert([x["file"] for x in docs], os.path.join(d, "pdf"), timeout)
    t_lo = time.time() - t0
    t0 = time.time()
    facts = engine(binary, [x["file"] for x in docs])
    t_engine = time.time() - t0
    out = []
    for x in docs:
        pdf = os.path.join(d, "pdf", os.path.basename(x["file"])[:-5] + ".pdf")
        if not os.path.exists(pdf) or x["file"] not in facts:
            x["skipped"] = "no PDF" if not os.path.exists(pdf) else "no engine answer"
            out.append(x)
            continue
        x["lo_pages"], x["lo_starts"] = libreoffice(x["file"], pdf)
        f = facts[x["file"]]
        x["our_pages"], x["our_starts"] = f.get("pages") or 0, f.get("page_starts") or []
        x["bad"] = compare(x)
        x["all"] = all_features(x)
        out.append(x)
    # keep the disagreeing ones as examples
    ex = os.path.join(WORK, "examples")
    os.makedirs(ex, exist_ok=True)
    for x in out:
        if x.get("bad"):
            base = os.path.join(ex, f"{x['seed']}")
            shutil.copy2(x["file"], base + ".docx")
            pdf = os.path.join(d, "pdf", os.path.basename(x["file"])[:-5] + ".pdf")
            shutil.copy2(pdf, base + ".pdf")
            with open(base + ".json", "w") as fh:
                json.dump({k: (sorted(v) if isinstance(v, set) else v) for k, v in x.items() if k != "file"},
                          fh, indent=1)
            x["example"] = base + ".docx"
    shutil.rmtree(d, ignore_errors=True)
    return out, t_lo, t_engine


NOT_GENERATED = """Images, text boxes, frames and floating tables; several columns; landscape pages; even and
odd headers; endnotes; merged or nested table cells, table indents and widths other than the
page's; fields other than PAGE (NUMPAGES, TOC); hyphenation; character spacing, kerning, small
caps, superscripts other than note marks; right-to-left and East Asian text; documents whose
styles come from templates other than python-docx's (Word 2013+ theme fonts, Normal with 1.08
lines); sections with other page sizes or margins; lists with several levels or restarts."""


def report(state, elapsed, args, leaves):
    docs = [x for x in state["docs"] if "all" in x]
    n = len(docs)
    bad = [x for x in docs if x["bad"]]
    lines = []
    lines.append("# Differential run: the layout engine against LibreOffice 7.4\n")
    lines.append(f"Command: `python3 inspection/tools/differential/differential.py {' '.join(sys.argv[1:])}`  ")
    took = "replayed" if args.replay else f"{elapsed / 60:.1f} minutes"
    lines.append(f"Seed {args.seed}; {state['rounds']} rounds of {args.batch}; {took}; "
                 f"stopped because {state['stop']}.\n")
    skipped = [x for x in state["docs"] if "skipped" in x]
    lines.append(f"- documents run: **{n}** (LibreOffice pages: "
                 f"{dict(sorted(Counter(x['lo_pages'] for x in docs).items()))}); skipped: {len(skipped)}")
    lines.append(f"- disagreements: **{len(bad)}** ({100 * len(bad) / max(n, 1):.1f} %): page count "
                 f"{sum(1 for x in bad if x['bad'] == 'pages')}, same count but another first word "
                 f"{sum(1 for x in bad if x['bad'] == 'starts')}")
    lines.append(f"- kinds: **{len(state['kinds'])}** ever seen; the last new kind appeared after "
                 f"**{state['last_new']}** documents ({n - state['last_new']} documents since)")
    lines.append("")
    lines.append("## Disagreements by kind (the final tree)\n")
    lines.append("| kind (features on the path) | disagreeing | of documents in leaf | rate | pages / starts | "
                 "first seen (doc #) | recognised at | example |")
    lines.append("|---|---|---|---|---|---|---|---|")
    rows = []
    for path, ds in leaves:
        b = [x for x in ds if x["bad"]]
        if not b:
            continue
        k = kind_name(path)
        rows.append((len(b), k, ds, b))
    for nb, k, ds, b in sorted(rows, key=lambda t: -t[0]):
        ex = min(b, key=lambda x: (len(x["all"]), x["seed"]))
        first = min(x["index"] for x in b)
        lines.append(f"| {k} | {nb} | {len(ds)} | {100 * nb / len(ds):.1f} % | "
                     f"{sum(1 for x in b if x['bad'] == 'pages')} / {sum(1 for x in b if x['bad'] == 'starts')} | "
                     f"{first} | {state['kinds'].get(k, '?')} | `{ex.get('example')}` "
                     f"(LO {ex['lo_pages']}, ours {ex['our_pages']}) |")
    lines.append("")
    lines.append("Example features (the example of each kind: fewest features):\n")
    for nb, k, ds, b in sorted(rows, key=lambda t: -t[0]):
        ex = min(b, key=lambda x: (len(x["all"]), x["seed"]))
        lo = " | ".join(first_word(s) for s in ex["lo_starts"])
        us = " | ".join(first_word(s) for s in ex["our_starts"])
        lines.append(f"- **{k}**: seed {ex['seed']}, {', '.join(sorted(ex['all']))}; first words LO [{lo}] vs "
                     f"ours [{us}]")
    lines.append("")
    lines.append("## Every feature, alone\n")
    lines.append("| feature | documents | disagreeing | rate with | rate without | page-count rate with | "
                 "p (Fisher, one-sided) |")
    lines.append("|---|---|---|---|---|---|---|")
    feats = sorted(set().union(*(x["all"] for x in docs))) if docs else []
    d = len(bad)
    stats = []
    for f in feats:
        n1 = sum(1 for x in docs if f in x["all"])
        d1 = sum(1 for x in docs if f in x["all"] and x["bad"])
        p1 = sum(1 for x in docs if f in x["all"] and x["bad"] == "pages")
        n0, d0 = n - n1, d - d1
        stats.append((fisher_greater(d1, n1, d, n), f, n1, d1, p1, n0, d0))
    for p, f, n1, d1, p1, n0, d0 in sorted(stats):
        lines.append(f"| {f} | {n1} | {d1} | {100 * d1 / max(n1, 1):.1f} % | {100 * d0 / max(n0, 1):.1f} % | "
                     f"{100 * p1 / max(n1, 1):.1f} % | {p:.2g} |")
    lines.append("")
    lines.append("## Kinds in the order they appeared\n")
    final = {kind_name(path) for path, ds in leaves if any(x["bad"] for x in ds)}
    for k, at in sorted(state["kinds"].items(), key=lambda t: t[1]):
        gone = "" if k in final else " (not in the final tree: merged or split as evidence grew)"
        lines.append(f"- after {at} documents: {k}{gone}")
    lines.append("")
    lines.append("## Not generated\n")
    lines.append(NOT_GENERATED)
    lines.append("")
    lines.append(f"Engine: {state['engine']}.  ")
    lines.append(f"Examples (docx, pdf and features as json) are in {WORK}/examples/.")
    text = "\n".join(lines) + "\n"
    with open(REPORT, "w") as fh:
        fh.write(text)
    return text


def main():
    global WORK
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--quiet", type=int, default=2000,
                    help="stop once this many documents in a row bring no new kind")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true", help="rebuild and copy the engine's test binary")
    ap.add_argument("--timeout", type=int, default=900, help="seconds for one soffice batch")
    ap.add_argument("--replay", metavar="DOCS_JSONL",
                    help="no new documents: the kinds and report of a recorded run (its docs.jsonl)")
    ap.add_argument("--work", default="/tmp/differential", help="the folder for generated files (not in the repository)")
    args = ap.parse_args()
    WORK = args.work
    if args.replay:
        return replay(args)
    os.makedirs(WORK, exist_ok=True)
    shutil.rmtree(os.path.join(WORK, "examples"), ignore_errors=True)
    make_reference.check_fonts()
    binary = engine_binary(args.rebuild)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "inspection/src"], cwd=REPO, capture_output=True,
                           text=True).stdout.splitlines()
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(binary)))
    start = time.time()
    state = {"docs": [], "kinds": {}, "last_new": 0, "rounds": 0, "done": 0, "stop": "?",
             "engine": f"tests/producers.rs's test binary built {built} from {head} with {len(dirty)} "
                       f"changed files under inspection/src"}
    with open(os.path.join(WORK, "docs.jsonl"), "w") as fh:
        fh.write(json.dumps({"engine": state["engine"]}) + "\n")
    leaves = []
    next_seed = args.seed * 1_000_000
    while True:
        if time.time() - start > args.minutes * 60:
            state["stop"] = f"the time budget ({args.minutes:g} minutes) ran out"
            break
        seeds = list(range(next_seed, next_seed + args.batch))
        next_seed += args.batch
        out, t_lo, t_engine = run_round(state["rounds"], seeds, binary, args.timeout)
        with open(os.path.join(WORK, "docs.jsonl"), "a") as fh:
            for x in out:
                fh.write(json.dumps({k: (sorted(v) if isinstance(v, set) else v) for k, v in x.items()
                                     if k != "file"}) + "\n")
        leaves, new = account(state, out)
        nbad = sum(1 for x in state["docs"] if x.get("bad"))
        print(f"round {state['rounds']}: {len(state['docs'])} documents, {nbad} disagree; LibreOffice {t_lo:.0f} s, "
              f"engine {t_engine:.0f} s; new kinds {new}", file=sys.stderr, flush=True)
        if state["done"] - state["last_new"] >= args.quiet:
            state["stop"] = f"{args.quiet} documents in a row brought no new kind"
            break
    print(report(state, time.time() - start, args, leaves))


def account(state, out):
    """Adds a round's documents to `state`, rebuilds the tree; returns its leaves and new kinds."""
    state["rounds"] += 1
    for x in out:
        x["index"] = len(state["docs"]) + 1
        state["docs"].append(x)
    docs = [x for x in state["docs"] if "all" in x]
    state["done"] = len(docs)
    leaves = tree(docs)
    new = []
    for path, ds in leaves:
        if any(x["bad"] for x in ds):
            k = kind_name(path)
            if k not in state["kinds"]:
                state["kinds"][k] = len(docs)
                state["last_new"] = len(docs)
                new.append(k)
    return leaves, new


def replay(args):
    """The rounds of an earlier run again, from its docs.jsonl, with the current kinds' rules."""
    records = []
    state_engine = "not recorded"
    with open(args.replay) as fh:
        for line in fh:
            x = json.loads(line)
            if "engine" in x and "seed" not in x:
                state_engine = x["engine"]
                continue
            if "all" in x:
                x["all"] = set(x["all"])
                x["bad"] = compare(x)
            x.pop("index", None)
            records.append(x)
    state = {"docs": [], "kinds": {}, "last_new": 0, "rounds": 0, "done": 0,
             "engine": f"{state_engine} (recorded in {args.replay})", "stop": "?"}
    leaves = []
    for i in range(0, len(records), args.batch):
        leaves, _ = account(state, records[i:i + args.batch])
        if state["done"] - state["last_new"] >= args.quiet:
            state["stop"] = f"{args.quiet} documents in a row brought no new kind (replayed from {args.replay})"
            break
    else:
        state["stop"] = f"the recorded run ended (replayed from {args.replay})"
    print(report(state, 0, args, leaves))


if __name__ == "__main__":
    main()
