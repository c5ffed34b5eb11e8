#!/usr/bin/env bash
# Regenerates the multi-producer development set inspection/tests/producers/ and its reference:
# every generator (fixed seeds), then LibreOffice's page counts and page starts (reference.csv).
#   bash inspection/tools/producers/make_all.sh
# Needs: python3 with python-docx, pandoc (2.17), libreoffice-writer-nogui (soffice 7.4),
# poppler-utils, fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2, and the shared
# corpus at /work/shared/corpus (or CORPUS=DIR) for the word-templates producer, and cargo for the
# docx-rs one.
# Then: cargo test -p inspection --test producers -- --nocapture
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1700000000}" # pandoc's dates
python3 "$here/gen_libreoffice.py"
python3 "$here/gen_pandoc.py"
python3 "$here/gen_python_docx.py"
python3 "$here/gen_word_templates.py" --corpus "${CORPUS:-/work/shared/corpus}"
# docx-rs: a Rust generator (gen_docx_rs.rs), run as an ignored test of tests/producers.rs
(cd "$here/../../.." && cargo test -p inspection --test producers -- --ignored --exact generate_docx_rs_essays)
python3 "$here/make_reference.py"
du -sh "$here/../../tests/producers"
