#!/usr/bin/env bash
# Self-check of the local test Slurm: install the packages, start Slurm in a fresh temporary
# folder, launch `srun -n 2 --mpi=pmix hostname` and an MPI program (compiled here) under srun and
# under mpirun, stop Slurm, and make sure nothing is left running. Exit 0 only if all of it worked.
#
# Usage: tools/slurm/selftest.sh
#   SUANLI_SLURM_SELFTEST_TIMEOUT_S  limit for everything after the install (default 120 s); the
#                                    install (apt) has its own limit of 600 s.
#   SUANLI_SLURM_KEEP=1              keep the temporary folder (logs) after the run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

fail() {
  echo "selftest: FAIL: $*" >&2
  exit 1
}

# Inner timeouts use --foreground: a plain `timeout` makes its own process group, which the
# outer timeout's group kill would then miss (an srun would outlive the test).
if [ "${1:-}" = "--inner" ]; then
  dir="$2"
  indent() { sed 's/^/    /'; }
  step() { printf 'selftest: [%3ss] %s\n' "$(($(date +%s) - t0))" "$*"; }
  t0=$(date +%s)
  step "start Slurm in $dir"
  "$here/local_slurm.sh" start "$dir" >"$dir/start.out" || fail "local_slurm.sh start (see above)"
  # shellcheck source=/dev/null
  source "$dir/env.sh"
  sinfo -N -o '%N %T %c %m' | indent

  mpi_list="$(srun --mpi=list 2>&1)"
  grep -qw pmix <<<"$mpi_list" || fail "srun --mpi=list offers no pmix: $mpi_list"

  step "srun -n 2 --mpi=pmix hostname"
  out="$(timeout --foreground 30 srun -n 2 --mpi=pmix hostname)" || fail "srun hostname exited $?"
  indent <<<"$out"
  lines="$(grep -c . <<<"$out")"
  [ "$lines" -eq 2 ] || fail "srun hostname printed $lines lines, want 2"

  step "compile the MPI program"
  cat >"$dir/mpi_check.c" <<'C'
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
/* Each rank prints "rank R of S: sum X want Y big_bad B ok|WRONG"; exit 0 only if right. */
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = -1, size = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  long v = rank + 1, sum = 0, want = (long)size * (size + 1) / 2;
  MPI_Allreduce(&v, &sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  /* 4 MiB per rank: large enough for the shared-memory single-copy path. */
  const int n = 1 << 20;
  int *a = malloc(sizeof(int) * n), *b = malloc(sizeof(int) * n);
  for (int i = 0; i < n; ++i) a[i] = rank + (i & 15);
  MPI_Allreduce(a, b, n, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  long bad = 0;
  for (int i = 0; i < n; ++i) bad += b[i] != size * (size - 1) / 2 + size * (i & 15);
  int ok = sum == want && bad == 0;
  printf("rank %d of %d: sum %ld want %ld big_bad %ld %s\n", rank, size, sum, want, bad,
         ok ? "ok" : "WRONG");
  free(a);
  free(b);
  MPI_Finalize();
  return ok ? 0 : 1;
}
C
  mpicc -O1 -o "$dir/mpi_check" "$dir/mpi_check.c" || fail "mpicc failed"

  check_ranks() { # check_ranks N OUTPUT: N lines "rank r of N: ... ok", one per rank
    local n="$1" out="$2" r
    indent <<<"$out"
    for ((r = 0; r < n; r++)); do
      grep -q "^rank $r of $n: .* ok$" <<<"$out" || fail "rank $r of $n missing or wrong"
    done
    [ "$(grep -c '^rank ' <<<"$out")" -eq "$n" ] || fail "want $n rank lines"
  }

  step "srun -n 2 --mpi=pmix mpi_check"
  out="$(timeout --foreground 60 srun -n 2 --mpi=pmix "$dir/mpi_check" 2>&1)" || {
    echo "$out" >&2
    fail "srun mpi_check exited non-zero"
  }
  check_ranks 2 "$out"

  step "srun -n 4 --overcommit --mpi=pmix mpi_check (4 ranks on $(nproc) CPUs)"
  out="$(timeout --foreground 60 srun -n 4 --overcommit --mpi=pmix "$dir/mpi_check" 2>&1)" || {
    echo "$out" >&2
    fail "srun -n 4 mpi_check exited non-zero"
  }
  check_ranks 4 "$out"

  step "mpirun --allow-run-as-root -np 2 mpi_check (outside Slurm)"
  out="$(env -u SLURM_CONF timeout --foreground 60 \
    mpirun --allow-run-as-root -np 2 "$dir/mpi_check" 2>&1)" || {
    echo "$out" >&2
    fail "mpirun mpi_check exited non-zero"
  }
  check_ranks 2 "$out"

  step "stop Slurm"
  "$here/local_slurm.sh" stop "$dir" | indent
  step "inner checks done"
  exit 0
fi

# Outer: install, then the checks under a global timeout; always stop and check for leftovers.
t_start=$(date +%s)
timeout -k 10 600 "$here/install_deps.sh" || fail "install_deps.sh failed or timed out"
[ "$(id -u)" -eq 0 ] || fail "must run as root (the local Slurm runs with SlurmUser=root)"
dir="$(mktemp -d /tmp/suanli-slurm.XXXXXX)"
limit_s="${SUANLI_SLURM_SELFTEST_TIMEOUT_S:-120}"
rc=0
timeout -k 10 "$limit_s" "$0" --inner "$dir" || rc=$?
[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || echo "selftest: FAIL: timed out after $limit_s s" >&2
"$here/local_slurm.sh" stop "$dir" >/dev/null || rc=3
sleep 0.2
if left="$(pgrep -af -- "$dir")"; then
  echo "selftest: FAIL: processes left running (now killed):" >&2
  echo "$left" >&2
  # shellcheck disable=SC2046 # pids of processes this test started (their command names $dir)
  kill -KILL $(pgrep -f -- "$dir") 2>/dev/null || true
  rc=3
fi
if [ "${SUANLI_SLURM_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
  echo "selftest: logs kept in $dir/log"
else
  rm -rf "$dir"
fi
if [ "$rc" -eq 0 ]; then
  echo "selftest: ok: Slurm + PMIx + OpenMPI work here ($(($(date +%s) - t_start)) s)"
else
  echo "selftest: FAILED (exit $rc, $(($(date +%s) - t_start)) s)" >&2
fi
exit "$rc"
