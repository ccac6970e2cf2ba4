#!/usr/bin/env bash
# collective_overhead.sh: does the harness add cost to collectives?
#
# Runs, alternately (loop, suanli, loop, suanli, ...), on 2 ranks:
#   mpirun -np 2 collective_loop                      (tests/perf/collective_loop.c: plain MPI)
#   mpirun -np 2 suanli run --suite tests/perf/collective_overhead.toml --threads 1 --quiet
# for all_reduce (fp32 sum), all_gather and all_to_all, S = 1 KiB to 64 MiB by factor 2, and
# prints per (op, size): Suanli's median, the loop's median (each the median of its per-round
# medians), their ratio and whether |ratio - 1| <= the tolerance (10%). Exit 0 when every size
# is within it, 1 when one is not, 2 on a usage or run error.
#
# Usage: tools/bench/collective_overhead.sh [BUILD_DIR] [--rounds N] [--tolerance F]
#                                           [--keep DIR] [--help]
#   BUILD_DIR     build tree with bin/suanli and bin/collective_loop (default: ./build)
#   --rounds N    rounds of each program, alternating (default 3, at least 1)
#   --tolerance F allowed |suanli/loop - 1| (default 0.10)
#   --keep DIR    keep the per-round outputs (loop_N.tsv, suanli_N.json) in DIR
# Environment:
#   MPIRUN         launcher (default mpirun)
#   MPIRUN_ARGS    extra launcher options (default: --allow-run-as-root when run as root)
#   LOOP_ARGS      extra collective_loop options (e.g. "--max-bytes 1048576")
#   SUANLI_ARGS    extra `suanli run` options
#   SUITE          suite file (default: tests/perf/collective_overhead.toml of this tree); a
#                  different size range in SUITE needs the same range in LOOP_ARGS
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

build=""
rounds=3
tolerance=0.10
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
  -h | --help)
    usage
    exit 0
    ;;
  --rounds)
    rounds="${2:?--rounds needs a value}"
    shift 2
    ;;
  --tolerance)
    tolerance="${2:?--tolerance needs a value}"
    shift 2
    ;;
  --keep)
    keep="${2:?--keep needs a value}"
    shift 2
    ;;
  -*)
    echo "collective_overhead.sh: unknown option $1" >&2
    usage >&2
    exit 2
    ;;
  *)
    if [[ -n "$build" ]]; then
      echo "collective_overhead.sh: one BUILD_DIR only" >&2
      exit 2
    fi
    build="$1"
    shift
    ;;
  esac
done
build="${build:-$root/build}"
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "collective_overhead.sh: --rounds must be a positive integer" >&2
  exit 2
fi
suanli="$build/bin/suanli"
loop="$build/bin/collective_loop"
suite="${SUITE:-$root/tests/perf/collective_overhead.toml}"
for f in "$suanli" "$loop" "$suite"; do
  if [[ ! -e "$f" ]]; then
    echo "collective_overhead.sh: $f not found (build with -DSUANLI_BUILD_BENCHMARKS=ON)" >&2
    exit 2
  fi
done
command -v python3 >/dev/null || {
  echo "collective_overhead.sh: python3 is needed to read the report" >&2
  exit 2
}

mpirun="${MPIRUN:-mpirun}"
if [[ -z "${MPIRUN_ARGS+x}" ]]; then
  MPIRUN_ARGS=""
  if [[ "$(id -u)" == 0 ]]; then
    MPIRUN_ARGS="--allow-run-as-root"
  fi
fi
read -r -a mpirun_args <<<"$MPIRUN_ARGS"
read -r -a loop_args <<<"${LOOP_ARGS:-}"
read -r -a suanli_args <<<"${SUANLI_ARGS:-}"

if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  work="$keep"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

echo "# collective_overhead: $rounds round(s) each, alternating loop/suanli; build $build" >&2
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2
for ((i = 1; i <= rounds; ++i)); do
  echo "# round $i: collective_loop" >&2
  if ! "$mpirun" "${mpirun_args[@]}" -np 2 "$loop" "${loop_args[@]}" >"$work/loop_$i.tsv"; then
    echo "collective_overhead.sh: collective_loop failed in round $i" >&2
    exit 2
  fi
  echo "# round $i: suanli run" >&2
  if ! "$mpirun" "${mpirun_args[@]}" -np 2 "$suanli" run --suite "$suite" --threads 1 \
    --out "$work/suanli_$i.json" --quiet "${suanli_args[@]}" >&2; then
    echo "collective_overhead.sh: suanli run failed in round $i" >&2
    exit 2
  fi
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2

python3 - "$work" "$rounds" "$tolerance" <<'EOF'
import base64, json, statistics, sys

work, rounds, tol = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def loop_round(path):
    out = {}
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            op, nbytes, median_s, _iters = line.rstrip("\n").split("\t")
            out[(op, int(nbytes))] = float(median_s)
    return out

def suanli_round(path):
    # A DSSE envelope: payload = base64 of an in-toto statement whose predicate is the report.
    with open(path) as f:
        envelope = json.load(f)
    statement = json.loads(base64.b64decode(envelope["payload"]))
    out = {}
    for case in statement["predicate"]["cases"]:
        if case.get("operation") != "collective":
            continue
        p = case["parameters"]
        if case["status"] != "pass" or not case.get("statistics"):
            print(f"suanli case {case['name']}: {case['status']}: {case.get('reason')}",
                  file=sys.stderr)
            continue
        out[(p["op"], int(p["bytes"]))] = case["statistics"]["time_s"]["median"]
    return out

loops = [loop_round(f"{work}/loop_{i}.tsv") for i in range(1, rounds + 1)]
suanlis = [suanli_round(f"{work}/suanli_{i}.json") for i in range(1, rounds + 1)]
order = ["all_reduce", "all_gather", "all_to_all"]
keys = sorted(set().union(*loops, *suanlis),
              key=lambda k: (order.index(k[0]) if k[0] in order else 99, k[0], k[1]))

def size(b):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if b >= 1 << shift and b % (1 << shift) == 0:
            return f"{b >> shift}{unit}"
    return f"{b}B"

def us(s):
    return f"{s * 1e6:.2f}"

print(f"{'op':<11} {'size':>6} {'suanli_us':>11} {'loop_us':>11} {'ratio':>7} "
      f"{'ok':>4}   {'suanli per round (us)':<28} loop per round (us)")
bad = 0
for k in keys:
    s = [r[k] for r in suanlis if k in r]
    l = [r[k] for r in loops if k in r]
    if len(s) != rounds or len(l) != rounds:
        print(f"{k[0]:<11} {size(k[1]):>6} missing in {rounds - len(s)} suanli and "
              f"{rounds - len(l)} loop round(s)")
        bad += 1
        continue
    sm, lm = statistics.median(s), statistics.median(l)
    ratio = sm / lm
    ok = abs(ratio - 1) <= tol
    bad += not ok
    print(f"{k[0]:<11} {size(k[1]):>6} {us(sm):>11} {us(lm):>11} {ratio:>7.3f} "
          f"{'yes' if ok else 'NO':>4}   {','.join(us(x) for x in s):<28} "
          f"{','.join(us(x) for x in l)}")
print(f"# {len(keys) - bad} of {len(keys)} within {tol * 100:g}%")
sys.exit(0 if bad == 0 and keys else 1)
EOF
