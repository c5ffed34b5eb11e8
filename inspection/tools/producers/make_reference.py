#!/usr/bin/env python3
"""Renders every inspection/tests/producers/<producer>/*.docx with LibreOffice and writes
inspection/tests/producers/reference.csv:

  file,producer,pages,page_starts

file is the path relative to inspection/tests/producers/, pages comes from `pdfinfo`, page_starts
is the first 4 words of each page's *body* joined by " | ", as the engine reports page starts
(inspection/src/docx/facts.rs: body text only). Like tools/make_reference.sh, but running headers
and footers are left out: a word belongs to the header when its vertical centre lies above the
section's top margin (w:pgMar/@w:top of the body's final sectPr; LibreOffice-written files count
the header in w:top), to the footer when it lies below the bottom margin, and, on documents of
two pages or more, a line repeated with the same text at the same height on every page is a
running head too. Words are read with `pdftotext -bbox-layout`, grouped into visual rows (a
superscript note mark joins its line), rows top to bottom, words left to right. A list label
(•, 1., a), ii.) at the start of the page is dropped, since the engine's page starts hold the
paragraph's text without its label.

  python3 inspection/tools/producers/make_reference.py [PRODUCER ...]

Needs: libreoffice-writer-nogui poppler-utils fonts-crosextra-carlito fonts-crosextra-caladea
fonts-liberation2.
"""

import csv
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "tests", "producers"))
PROFILE = "file:///tmp/lo-profile-producers"
PRODUCERS = ["libreoffice", "pandoc", "python-docx", "docx-rs", "word-templates"]
WORDS_PER_START = 4
ROW_TOLERANCE_PT = 5.0
LABEL = re.compile(r"^(\d+|[a-z]|[ivxlc]+|[A-Z])[.)]$|^[^\w\s]+$")


def margins_pt(docx):
    """(top, bottom) margins of the body's final section, in points (Letter/1440 defaults)."""
    try:
        doc = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return 72.0, 72.0
    sect = doc[doc.rfind("<w:sectPr"):] if "<w:sectPr" in doc else ""
    pgmar = re.search(r"<w:pgMar\b[^>]*>", sect)
    pgmar = pgmar.group(0) if pgmar else ""

    def get(attr):
        m = re.search(rf'w:{attr}="(-?[\d.]+)"', pgmar)
        return abs(float(m.group(1))) / 20 if m else 72.0

    return get("top"), get("bottom")


def pages_words(pdf):
    """Per page: (height, [(xMin, yMin, xMax, yMax, text)])."""
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = []
    for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', pm.group(3))
        ]
        pages.append((float(pm.group(2)), words))
    return pages


def rows_of(words):
    """Words grouped into visual rows (by vertical centre), top to bottom, left to right."""
    rows = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        c = (w[1] + w[3]) / 2
        if rows and c - rows[-1][0] <= ROW_TOLERANCE_PT:
            rows[-1][1].append(w)
        else:
            rows.append([c, [w]])
    return [(c, [w[4] for w in sorted(ws, key=lambda w: w[0])]) for c, ws in rows]


def page_starts(docx, pdf):
    top, bottom = margins_pt(docx)
    pages = pages_words(pdf)
    body_rows = []
    for height, words in pages:
        body = [w for w in words if top <= (w[1] + w[3]) / 2 <= height - bottom]
        body_rows.append(rows_of(body))
    if len(pages) >= 2:
        # a row with the same text at the same height on every page is a running head or foot
        def key(row):
            return (round(row[0]), " ".join(row[1]))
        common = set(map(key, body_rows[0]))
        for rows in body_rows[1:]:
            common &= set(map(key, rows))
        body_rows = [[row for row in rows if key(row) not in common] for rows in body_rows]
    starts = []
    for rows in body_rows:
        words = [w for _, ws in rows for w in ws]
        while words and LABEL.match(words[0]):
            words = words[1:]
        starts.append(" ".join(" ".join(words[:WORDS_PER_START]).split()))
    return len(pages), starts


def check_fonts():
    """The reference is worthless when LibreOffice falls back to DejaVu: make sure the metric
    twins are installed (fontconfig maps Word's names onto them)."""
    want = {"Calibri": "Carlito", "Cambria": "Caladea", "Times New Roman": "Liberation Serif",
            "Arial": "Liberation Sans"}
    for name, twin in want.items():
        got = subprocess.run(["fc-match", "-f", "%{family}", name], capture_output=True, text=True).stdout
        if twin not in got:
            sys.exit(f"fc-match {name!r} gives {got!r}, not {twin}: install fonts-crosextra-carlito "
                     "fonts-crosextra-caladea fonts-liberation2 and run again")


def main():
    check_fonts()
    producers = sys.argv[1:] or [p for p in PRODUCERS if os.path.isdir(os.path.join(ROOT, p))]
    out_path = os.path.join(ROOT, "reference.csv")
    old = {}
    if sys.argv[1:] and os.path.exists(out_path):
        old = {row[0]: row for row in list(csv.reader(open(out_path, encoding="utf-8")))[1:]}
    rows = dict(old)
    tmp = tempfile.mkdtemp(prefix="producers-ref-")
    try:
        for prod in producers:
            src = os.path.join(ROOT, prod)
            files = sorted(f for f in os.listdir(src) if f.endswith(".docx"))
            rows = {k: v for k, v in rows.items() if not k.startswith(prod + "/")}
            pdfdir = os.path.join(tmp, prod)
            os.makedirs(pdfdir)
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation={PROFILE}", "--convert-to", "pdf",
                            "--outdir", pdfdir] + [os.path.join(src, f) for f in files],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for f in files:
                pdf = os.path.join(pdfdir, f[:-5] + ".pdf")
                if not os.path.exists(pdf):
                    print(f"{prod}/{f}: LibreOffice made no PDF, left out", file=sys.stderr)
                    continue
                info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
                pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
                n, starts = page_starts(os.path.join(src, f), pdf)
                assert n == pages, (f, n, pages)
                rows[f"{prod}/{f}"] = [f"{prod}/{f}", prod, str(pages), " | ".join(starts)]
            print(f"{prod}: {len(files)} files rendered")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "producer", "pages", "page_starts"])
        for k in sorted(rows):
            w.writerow(rows[k])
    counts = {}
    for row in rows.values():
        counts.setdefault(row[1], {}).setdefault(row[2], 0)
        counts[row[1]][row[2]] += 1
    print(f"wrote {out_path}: {len(rows)} files; pages per producer {counts}")


if __name__ == "__main__":
    main()
