#!/usr/bin/env bash
# `suanli` collectives under a real single-host Slurm: install the packages, start the local
# Slurm (local_slurm.sh) in a fresh temporary folder, make a key with `suanli keygen`, then run
# the suite with 2 ranks twice, once by `srun -n 2 --mpi=pmix` and once by
# `sbatch --wait tools/slurm/suanli.sbatch`; each signed cluster report must pass
# `suanli verify --pubkey` and have cluster.launcher "srun", cluster.ranks 2 and every case
# "pass". Then stop Slurm and make sure nothing is left running. Exit 0 only if all of it worked;
# on failure: the step, its output, and the tails of the Slurm logs and the job output.
#
# Usage: tools/slurm/suanli_selftest.sh SUANLI [BUILD_DIR]
#   SUANLI     the suanli executable (CTest passes $<TARGET_FILE:suanli>)
#   BUILD_DIR  the build folder (CTest passes it): on failure the temporary folder's logs,
#              slurm.conf, step and job outputs and reports are copied to
#              BUILD_DIR/Testing/slurm-suanli/ (the folder itself is kept too)
#   SUANLI_SLURM_SUITE              suite to run (default collectives-quick)
#   SUANLI_SLURM_SELFTEST_TIMEOUT_S limit for everything after the install (default 420 s; each
#                                   of the two runs has its own 180 s); the install has 600 s.
#   SUANLI_SLURM_KEEP=1             keep the temporary folder after a successful run too.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

fail() {
  echo "suanli_selftest: FAIL: $*" >&2
  exit 1
}

if [ "${3:-}" != "--inner" ] && { [ $# -lt 1 ] || [ $# -gt 2 ]; }; then
  fail "usage: $0 SUANLI [BUILD_DIR]"
fi
suanli="$1"
build_dir="${2:-}"
suite="${SUANLI_SLURM_SUITE:-collectives-quick}"
run_limit_s=180 # one suite run (srun, or sbatch including its scheduling)

# Inner timeouts use --foreground: a plain `timeout` makes its own process group, which the
# outer timeout's group kill would then miss (an srun would outlive the test).
if [ "${3:-}" = "--inner" ]; then
  dir="$4"
  indent() { sed 's/^/    /'; }
  step() { printf 'suanli_selftest: [%3ss] %s\n' "$(($(date +%s) - t0))" "$*"; }
  t0=$(date +%s)

  check_report() { # check_report REPORT: verify the signature, then the payload's content
    local report="$1" out
    step "suanli verify $(basename "$report") --pubkey k.pub"
    out="$(timeout --foreground 60 "$suanli" verify "$report" --pubkey "$dir/k.pub" 2>&1)" || {
      indent <<<"$out" >&2
      fail "suanli verify $report exited non-zero"
    }
    indent <<<"$out"
    step "check the payload: launcher srun, 2 ranks, every case pass"
    python3 - "$report" <<'PY' || fail "report content check failed for $report"
import base64, collections, json, sys
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
# A signed report is a DSSE envelope whose payload is an in-toto statement; its predicate is
# the report.
if "payload" in doc:
    doc = json.loads(base64.b64decode(doc["payload"]))
report = doc.get("predicate", doc)
errors = []
cluster = report.get("cluster") or {}
if cluster.get("launcher") != "srun":
    errors.append(f"cluster.launcher is {cluster.get('launcher')!r}, want 'srun'")
if cluster.get("ranks") != 2:
    errors.append(f"cluster.ranks is {cluster.get('ranks')!r}, want 2")
cases = list(report.get("cases") or [])
for node in report.get("nodes") or []:
    cases += node.get("cases") or []
if not cases:
    errors.append("the report has no cases")
counts = collections.Counter(c.get("status") for c in cases)
for c in cases:
    if c.get("status") != "pass":
        errors.append(f"case {c.get('name')!r}: status {c.get('status')!r} "
                      f"{c.get('reason', c.get('error', ''))}")
        if len(errors) > 20:
            break
print(f"    launcher {cluster.get('launcher')}, ranks {cluster.get('ranks')}, "
      f"nodes {cluster.get('nodes')}, cases {len(cases)}: "
      + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=str)))
for e in errors:
    print("    " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
  }

  step "start Slurm in $dir"
  "$here/local_slurm.sh" start "$dir" >"$dir/start.out" || fail "local_slurm.sh start (see above)"
  # shellcheck source=/dev/null
  source "$dir/env.sh"
  sinfo -N -o '%N %T %c %m' | indent
  grep -qw pmix <<<"$(srun --mpi=list 2>&1)" || fail "srun --mpi=list offers no pmix"
  # 2 ranks on a node with fewer than 2 CPUs: Slurm would queue forever without --overcommit.
  cpus="$(sinfo -h -N -o '%c' | head -n 1)"
  overcommit=()
  [ "${cpus:-0}" -ge 2 ] || overcommit=(--overcommit)

  step "suanli keygen --out k"
  (cd "$dir" && timeout --foreground 30 "$suanli" keygen --out "$dir/k") | indent ||
    fail "suanli keygen exited non-zero"
  { [ -s "$dir/k.key" ] && [ -s "$dir/k.pub" ]; } || fail "suanli keygen made no k.key/k.pub"

  # 1. srun directly. The report and the key lie in $dir, so the leftover check finds any rank.
  step "srun -n 2 --mpi=pmix${overcommit[*]/#/ } suanli run --suite $suite --threads 1"
  rc=0
  (cd "$dir" && timeout --foreground "$run_limit_s" srun -n 2 --mpi=pmix --kill-on-bad-exit=1 \
    "${overcommit[@]}" "$suanli" run --suite "$suite" --threads 1 --key "$dir/k.key" \
    --out "$dir/srun.json") >"$dir/srun.out" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$dir/srun.out" | indent >&2
    [ "$rc" -ne 124 ] || fail "srun suanli run timed out after $run_limit_s s"
    fail "srun suanli run exited $rc"
  fi
  grep -E '^(suite|job:|report:) | passed, ' "$dir/srun.out" | indent || true
  [ -s "$dir/srun.json" ] || fail "srun suanli run wrote no $dir/srun.json"
  check_report "$dir/srun.json"

  # 2. The batch script, as a site would submit it; the #SBATCH defaults (2 nodes, 1 task per
  #    node) are overridden on the command line for the one local node.
  step "sbatch --wait --nodes=1 --ntasks=2 --ntasks-per-node=2${overcommit[*]/#/ } suanli.sbatch"
  rc=0
  (cd "$dir" && KEY="$dir/k.key" SUITE="$suite" OUT="$dir/sbatch.json" SUANLI="$suanli" \
    SUANLI_ARGS="--threads 1" SRUN_MPI=pmix \
    timeout --foreground "$run_limit_s" sbatch --wait --nodes=1 --ntasks=2 \
    --ntasks-per-node=2 "${overcommit[@]}" --time=10 --output="$dir/job-%j.out" \
    --job-name=suanli-selftest "$repo/tools/slurm/suanli.sbatch") >"$dir/sbatch.out" 2>&1 ||
    rc=$?
  indent <"$dir/sbatch.out"
  job_out="$(find "$dir" -maxdepth 1 -name 'job-*.out' -print -quit)"
  if [ "$rc" -ne 0 ]; then
    [ -z "$job_out" ] || { echo "---- tail of $job_out" && tail -n 40 "$job_out"; } >&2
    [ "$rc" -ne 124 ] || fail "sbatch --wait timed out after $run_limit_s s"
    fail "sbatch --wait exited $rc (the job's exit code)"
  fi
  if [ -n "$job_out" ]; then grep -E '^suanli.sbatch: job| passed, ' "$job_out" | indent || true; fi
  [ -s "$dir/sbatch.json" ] || fail "the batch job wrote no $dir/sbatch.json"
  check_report "$dir/sbatch.json"

  step "stop Slurm"
  "$here/local_slurm.sh" stop "$dir" | indent
  step "inner checks done"
  exit 0
fi

# Outer: install, then the checks under a global timeout; always stop and check for leftovers.
t_start=$(date +%s)
[ -x "$suanli" ] || fail "'$suanli' is not an executable file"
suanli="$(cd "$(dirname "$suanli")" && pwd)/$(basename "$suanli")"
timeout -k 10 600 "$here/install_deps.sh" || fail "install_deps.sh failed or timed out"
[ "$(id -u)" -eq 0 ] || fail "must run as root (the local Slurm runs with SlurmUser=root)"
command -v python3 >/dev/null || fail "python3 not found (it checks the report's content)"
dir="$(mktemp -d /tmp/suanli-slurm.XXXXXX)"
limit_s="${SUANLI_SLURM_SELFTEST_TIMEOUT_S:-420}"
rc=0
timeout -k 10 "$limit_s" "$0" "$suanli" "$build_dir" --inner "$dir" || rc=$?
[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || echo "suanli_selftest: FAIL: timed out after $limit_s s" >&2
if [ "$rc" -ne 0 ]; then # the logs, before stop adds its lines
  for f in "$dir"/log/slurmctld.log "$dir"/log/slurmd.log "$dir"/job-*.out; do
    [ -s "$f" ] || continue
    echo "---- tail of $f" >&2
    tail -n 25 "$f" >&2
  done
fi
"$here/local_slurm.sh" stop "$dir" >/dev/null || rc=3
sleep 0.2
if left="$(pgrep -af -- "$dir")"; then
  echo "suanli_selftest: FAIL: processes left running (now killed):" >&2
  echo "$left" >&2
  # shellcheck disable=SC2046 # pids of processes this test started (their command names $dir)
  kill -KILL $(pgrep -f -- "$dir") 2>/dev/null || true
  rc=3
fi
if [ "$rc" -ne 0 ] && [ -n "$build_dir" ] && [ -d "$build_dir" ]; then
  keep="$build_dir/Testing/slurm-suanli"
  rm -rf "$keep"
  mkdir -p "$keep"
  cp -r "$dir"/log "$dir"/slurm.conf "$dir"/*.out "$dir"/*.json "$keep"/ 2>/dev/null || true
  echo "suanli_selftest: logs, job output and reports copied to $keep"
fi
if [ "${SUANLI_SLURM_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
  echo "suanli_selftest: folder kept: $dir"
else
  rm -rf "$dir"
fi
if [ "$rc" -eq 0 ]; then
  echo "suanli_selftest: ok: $suite under srun and sbatch, reports verified ($(($(date +%s) - t_start)) s)"
else
  echo "suanli_selftest: FAILED (exit $rc, $(($(date +%s) - t_start)) s)" >&2
fi
exit "$rc"
