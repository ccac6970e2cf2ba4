#!/usr/bin/env bash
# A rank that dies or hangs in the middle of a collective run never hangs the job
# (issue: "failures never hang"). Usage: cluster_faults.sh MPIEXEC SUANLI SUITE kill|stop
#   kill: SIGKILL rank 1 after a few cases; the job must end well within --timeout, non-zero,
#         with no report.
#   stop: SIGSTOP rank 1 (a hang: the launcher sees nothing); the job must end with exit 3
#         within --timeout plus a margin, with one "timeout" line naming the case and either
#         the rank that did not arrive or the collective call that did not finish, and no report.
set -uo pipefail
mpiexec=$1 suanli=$2 suite=$3 mode=$4
timeout_s=6
work=$(mktemp -d /tmp/suanli-faults.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

"$mpiexec" --allow-run-as-root --oversubscribe -np 2 "$suanli" run --suite "$suite" --threads 1 \
  --timeout "$timeout_s" --out "$work/r.json" >"$work/out" 2>"$work/err" &
launcher=$!

# Wait for the third finished case, then find rank 1 by its environment.
for _ in $(seq 1 600); do
  grep -q '^\[3/' "$work/out" 2>/dev/null && break
  kill -0 $launcher 2>/dev/null || break
  sleep 0.1
done
if ! grep -q '^\[3/' "$work/out"; then
  echo "FAIL: the run did not reach its third case"; cat "$work/out" "$work/err"; exit 1
fi
rank1=""
for env in /proc/[0-9]*/environ; do
  p=${env#/proc/}; p=${p%/environ}
  tr '\0' ' ' </proc/$p/cmdline 2>/dev/null | grep -q "^$suanli run --suite $suite" || continue
  if tr '\0' '\n' <"$env" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then
    rank1=$p
  fi
done
if [ -z "$rank1" ]; then
  echo "FAIL: rank 1's process not found"; exit 1
fi
if [ "$mode" = kill ]; then sig=KILL; else sig=STOP; fi
start_ms=$(($(date +%s%N) / 1000000))
kill -s $sig "$rank1"
echo "sent SIG$sig to rank 1 (pid $rank1) after: $(grep -c '^\[' "$work/out") cases"

# The job must end by itself; 3 x timeout is the hard limit of this test.
for _ in $(seq 1 $((timeout_s * 30))); do
  kill -0 $launcher 2>/dev/null || break
  sleep 0.1
done
if kill -0 $launcher 2>/dev/null; then
  echo "FAIL: the job still runs $((timeout_s * 3)) s after SIG$sig"; cat "$work/err"; exit 1
fi
wait $launcher
rc=$?
elapsed_ms=$(($(date +%s%N) / 1000000 - start_ms))
elapsed="$((elapsed_ms / 1000)).$(printf %03d $((elapsed_ms % 1000)))"
echo "job ended after ${elapsed} s with exit $rc"
echo "--- stderr (first lines)"; head -5 "$work/err"
fail=0
if [ -e "$work/r.json" ]; then echo "FAIL: a report was written"; fail=1; fi
if ls "$work"/r.json.* >/dev/null 2>&1; then echo "FAIL: a temporary report was left"; fail=1; fi
if [ "$rc" -eq 0 ]; then echo "FAIL: exit 0"; fail=1; fi
if [ "$mode" = stop ]; then
  [ "$rc" -eq 3 ] || { echo "FAIL: exit $rc, expected 3"; fail=1; }
  line=$(grep -m1 'suanli: error: .*timeout' "$work/err")
  [ -n "$line" ] || { echo "FAIL: no timeout line"; fail=1; }
  echo "$line" | grep -q 'case coll\.all_reduce\.fp32\.sum\.oop\.[0-9]*KiB' ||
    { echo "FAIL: the timeout line does not name the case and size"; fail=1; }
  echo "$line" | grep -Eq 'rank\(s\) 1 did not arrive|did not finish within' ||
    { echo "FAIL: the timeout line names neither the late rank nor the call"; fail=1; }
  [ "$elapsed_ms" -lt $(((2 * timeout_s + 10) * 1000)) ] ||
    { echo "FAIL: took ${elapsed} s, over 2 x --timeout + 10 s"; fail=1; }
else
  [ "$elapsed_ms" -lt $((timeout_s * 1000)) ] ||
    { echo "FAIL: took ${elapsed} s, over --timeout"; fail=1; }
fi
[ $fail -eq 0 ] && echo "PASS: $mode"
exit $fail
