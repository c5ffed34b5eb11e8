#!/usr/bin/env python3
"""Producer "pandoc": markdown essays converted by pandoc to .docx, with pandoc's default
reference.docx and with reference docs of our own, into inspection/tests/producers/pandoc/NNN.docx.

  python3 inspection/tools/producers/gen_pandoc.py [--count N]

Our reference docs start from `pandoc --print-default-data-file reference.docx` and change, with
zipfile: the page (A4 or Letter and margins, in document.xml's sectPr, which pandoc copies), the
body font (explicit Calibri / Cambria / Times New Roman / Arial, or the theme's minor font
changed), size, line spacing 1.0-1.5, paragraph spacing and first-line indents.
Some essays have footnotes, block quotes, tables and lists.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import essaylib  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "tests", "producers"))
OUT = os.path.join(ROOT, "pandoc")
# measured: the words-per-page estimate overshoots this producer's pages by 1/CALIBRATION
CALIBRATION = 0.6
SEED = 0xA11D0C

FONTS = ["Calibri", "Cambria", "Times New Roman", "Arial", "theme:Calibri", "theme:Cambria"]
PAGES = {"A4": (11906, 16838), "Letter": (12240, 15840)}


def make_reference(r, base, path):
    """A reference.docx from pandoc's default one; returns the layout parameters."""
    font = r.choice(FONTS)
    size = r.choice([22, 24, 24, 22, 20])
    line = r.choice([240, 240, 259, 276, 288, 312, 360])
    after = r.choice([0, 120, 160, 200])
    body_before, body_after = r.choice([(180, 180), (0, 160), (0, 120), (60, 60), (0, 0)])
    first_line = r.choice([0, 0, 284, 360, 567])
    paper = r.choice(["A4", "A4", "Letter"])
    margin = r.choice([1440, 1134, 1247, 1701])
    w, h = PAGES[paper]
    header_footer = 'w:header="709" w:footer="709" w:gutter="0"'
    sect = (
        f'<w:sectPr><w:pgSz w:w="{w}" w:h="{h}"/><w:pgMar w:top="{margin}" w:right="{margin}" '
        f'w:bottom="{margin}" w:left="{margin}" {header_footer}/><w:cols w:space="708"/></w:sectPr>'
    )
    zin = zipfile.ZipFile(base)
    zout = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "word/styles.xml":
            s = data.decode("utf-8")
            # docDefaults: font, size, spacing
            rpr_default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", s, re.S).group(0)
            new = rpr_default
            if not font.startswith("theme:"):
                new = re.sub(
                    r"<w:rFonts [^>]*/>",
                    f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" />',
                    new,
                )
            new = re.sub(r'<w:sz w:val="\d+" />', f'<w:sz w:val="{size}" />', new)
            s = s.replace(rpr_default, new)
            s = s.replace(
                '<w:spacing w:after="200" />',
                f'<w:spacing w:after="{after}" w:line="{line}" w:lineRule="auto" />',
                1,
            )
            # Body Text: spacing and first-line indent; First Paragraph without the indent
            s = re.sub(
                r'(<w:style w:type="paragraph" w:styleId="BodyText">.*?)<w:spacing [^>]*/>',
                lambda m: m.group(1)
                + f'<w:spacing w:before="{body_before}" w:after="{body_after}" />'
                + (f'<w:ind w:firstLine="{first_line}" />' if first_line else ""),
                s,
                count=1,
                flags=re.S,
            )
            if first_line:
                s = s.replace(
                    '<w:next w:val="BodyText" />\n    <w:qFormat />\n  </w:style>',
                    '<w:next w:val="BodyText" />\n    <w:qFormat />\n    <w:pPr><w:ind w:firstLine="0" /></w:pPr>\n  </w:style>',
                    1,
                )
            data = s.encode("utf-8")
        elif item.filename == "word/theme/theme1.xml" and font.startswith("theme:"):
            s = data.decode("utf-8")
            s = re.sub(
                r'(<a:minorFont>\s*<a:latin typeface=")[^"]*(")',
                lambda m: m.group(1) + font[6:] + m.group(2),
                s,
            )
            data = s.encode("utf-8")
        elif item.filename == "word/document.xml":
            s = data.decode("utf-8")
            s = re.sub(r"<w:sectPr\s*/>", sect, s)
            data = s.encode("utf-8")
        zout.writestr(item, data)
    zout.close()
    fam = font[6:] if font.startswith("theme:") else font
    return dict(font=fam, size=size / 2, line=line / 240, after=max(after, body_after) / 20,
                width=(w - 2 * margin) / 20, height=(h - 2 * margin) / 20)


def markdown(r, params, i):
    features = {"h2", "lists", "numbered"}
    for f, p in (("footnotes", 0.4), ("quote", 0.35), ("table", 0.3)):
        if r.random() < p:
            features.add(f)
    wpp = essaylib.words_per_page(params["font"], params["size"], params["line"], params["width"],
                                  params["height"], params["after"])
    target = int(wpp * CALIBRATION * essaylib.target_pages(r) * r.uniform(0.95, 1.05))
    blocks = essaylib.essay(r, target, features)
    meta_title = r.random() < 0.5
    out, notes = [], []
    for b in blocks:
        k = b[0]
        if k == "title":
            out.append(f"---\ntitle: {b[1]}\n---\n" if meta_title else f"# {b[1]}\n")
        elif k == "h1":
            out.append(f"{'#' if meta_title else '##'} {b[1]}\n")
        elif k == "h2":
            out.append(f"{'##' if meta_title else '###'} {b[1]}\n")
        elif k == "p":
            t, note = b[1], b[2]
            if note:
                notes.append(note[1])
                t = t[: note[0]] + f"[^{len(notes)}]" + t[note[0]:]
            out.append(t + "\n")
        elif k == "bullets":
            out.append("".join(f"- {t}\n" for t in b[1]))
        elif k == "numbers":
            out.append("".join(f"{n + 1}. {t}\n" for n, t in enumerate(b[1])))
        elif k == "quote":
            out.append(f"> {b[1]}\n")
        elif k == "table":
            rows = b[1]
            out.append("| " + " | ".join(rows[0]) + " |\n|" + "|".join("---" for _ in rows[0]) + "|\n"
                       + "".join("| " + " | ".join(row) + " |\n" for row in rows[1:]))
    for n, t in enumerate(notes):
        out.append(f"[^{n + 1}]: {t}\n")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=105)
    ap.add_argument("--references", type=int, default=12)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".docx"):
            os.remove(os.path.join(OUT, f))
    tmp = tempfile.mkdtemp(prefix="producers-pandoc-")
    try:
        base = os.path.join(tmp, "default-reference.docx")
        subprocess.run(["pandoc", "-o", base, "--print-default-data-file", "reference.docx"], check=True)
        refs = [(None, dict(font="Cambria", size=12, line=1.0, after=9, width=468, height=648))]
        rr = random.Random(SEED)
        for k in range(a.references):
            p = os.path.join(tmp, f"custom-reference-{k}.docx")
            refs.append((p, make_reference(rr, base, p)))
        for i in range(a.count):
            r = random.Random(SEED * 1000 + i)
            ref, params = refs[0] if r.random() < 0.25 else r.choice(refs[1:])
            md = os.path.join(tmp, f"{i:03}.md")
            open(md, "w", encoding="utf-8").write(markdown(r, params, i))
            cmd = ["pandoc", md, "-f", "markdown", "-o", os.path.join(OUT, f"{i:03}.docx")]
            if ref:
                cmd += ["--reference-doc", ref]
            subprocess.run(cmd, check=True)
        print(f"pandoc: {a.count} files in {OUT}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
