#!/usr/bin/env bash
# audit_bench.sh: how fast and how lean is `suanli audit` over many reports? (issue 7 target:
# 10,000 single-node reports in <= 10 s on 2 cores with <= 1 GiB peak RSS)
#
# Makes a provider key, runs SUITE once for a genuine signed report, writes COUNT re-signed
# copies with distinct device UUIDs (bin/audit_corpus_gen), then times, pinned to 2 cores:
#   /usr/bin/time -v taskset -c 0,1 suanli audit --threads 2 --trust k.pub DIR/*.json
# and prints wall time, peak RSS and the audit's summary line. Exit 0 when both targets hold,
# 1 when one does not, 2 on a usage or run error.
#
# Usage: tools/bench/audit_bench.sh [BUILD_DIR] [--count N] [--suite S] [--keep DIR] [--help]
#   BUILD_DIR   build tree with bin/suanli and bin/audit_corpus_gen (default: ./build)
#   --count N   reports to audit (default 10000)
#   --suite S   suite of the genuine report (default: quick)
#   --keep DIR  work in DIR and keep it (default: a temporary folder, removed)
set -euo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

build=./build
count=10000
suite=quick
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
  --count) count="$2"; shift 2 ;;
  --suite) suite="$2"; shift 2 ;;
  --keep) keep="$2"; shift 2 ;;
  --help | -h) usage; exit 0 ;;
  -*) echo "audit_bench.sh: unknown option $1" >&2; exit 2 ;;
  *) build="$1"; shift ;;
  esac
done
suanli="$build/bin/suanli"
gen="$build/bin/audit_corpus_gen"
for f in "$suanli" "$gen"; do
  [[ -x "$f" ]] || { echo "audit_bench.sh: $f not built" >&2; exit 2; }
done
if [[ -n "$keep" ]]; then
  work="$keep"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

[[ -f "$work/k.key" ]] || "$suanli" keygen --out "$work/k" >/dev/null
"$suanli" run --suite "$suite" --key "$work/k.key" --out "$work/genuine.json" --quiet >/dev/null
rm -rf "$work/reports"
"$gen" "$work/genuine.json" "$work/k.key" "$count" "$work/reports"

set +e
/usr/bin/time -v -o "$work/time.txt" taskset -c 0,1 "$suanli" audit --threads 2 \
  --trust "$work/k.pub" "$work"/reports/*.json >"$work/audit.txt"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  echo "audit_bench.sh: audit exited $rc" >&2
  tail -3 "$work/audit.txt" >&2
fi
wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")"
rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")"
seconds="$(awk -F: '{ s = 0; for (i = 1; i <= NF; ++i) s = s * 60 + $i; print s }' <<<"$wall")"
echo "reports: $count ($suite), audit: $(tail -1 "$work/audit.txt")"
echo "wall: ${seconds} s (target <= 10), peak RSS: $((rss_kb / 1024)) MiB (target <= 1024)"
awk -v s="$seconds" -v r="$rss_kb" 'BEGIN { exit !(s <= 10 && r <= 1048576) }'
