#!/usr/bin/env bash
# Runs every target at once for $1 seconds (default 600), at the lowest priority, with the
# inspection worker's limits: 1024 MiB of address space, 10 s per input (a hang is a finding).
# Findings land in out/<target>/default/{crashes,hangs}; see README.md "Fuzzing".
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
dictionaries="$(find "$HOME/.local/share/afl.rs" -type d -name dictionaries | head -1)"
export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
mkdir -p out logs
for target in docx_parts docx_bytes pdf notice filename; do
  dict=()
  case "$target" in
    docx_parts|docx_bytes) dict=(-x "$dictionaries/xml.dict") ;;
    pdf) dict=(-x "$dictionaries/pdf.dict") ;;
  esac
  # A resumed run continues its queue (-i -); a first run starts from the seeds in in/<target>.
  input=(-i "in/$target")
  if [ -d "out/$target/default/queue" ]; then input=(-i -); fi
  nice -n 19 cargo afl fuzz "${input[@]}" -o "out/$target" -m 1024 -t 10000 -V "$seconds" "${dict[@]}" \
    "target/release/$target" > "logs/$target.log" 2>&1 &
done
wait
