#!/usr/bin/env bash
# Renders inspection/tests/essays/*.docx with LibreOffice and writes reference.csv:
#   file,pages,first words of each page (joined by " | ")
# Needs: libreoffice-writer-nogui poppler-utils fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2
set -euo pipefail
dir="$(cd "$(dirname "$0")/../tests/essays" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
soffice --headless -env:UserInstallation=file://"$tmp"/profile --convert-to pdf --outdir "$tmp" "$dir"/*.docx >/dev/null 2>&1
out="$dir/reference.csv"
echo "file,pages,page_starts" > "$out"
for f in "$dir"/*.docx; do
  b="$(basename "$f" .docx)"
  pdf="$tmp/$b.pdf"
  pages="$(pdfinfo "$pdf" | awk '/^Pages:/{print $2}')"
  starts=""
  for ((p=1; p<=pages; p++)); do
    w="$(pdftotext -f "$p" -l "$p" -layout "$pdf" - | tr -s ' \n\t' ' ' | sed 's/^ //' | cut -d' ' -f1-4)"
    starts="${starts:+$starts | }$w"
  done
  echo "$b.docx,$pages,\"${starts//\"/\"\"}\"" >> "$out"
done
echo "wrote $out"
