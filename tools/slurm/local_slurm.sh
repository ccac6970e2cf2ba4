#!/usr/bin/env bash
# A real single-host Slurm (Debian's slurmctld + slurmd + munged) on loopback, configured and
# run entirely inside DIR: for tests of `srun`/`sbatch` launches, never for production.
#
# Usage: tools/slurm/local_slurm.sh start|stop|status DIR
#   start   write DIR/slurm.conf, a munge key and DIR/env.sh, start munged, slurmctld and slurmd
#           (unless already running from DIR), wait until the node is idle (timeout 30 s,
#           SUANLI_SLURM_WAIT_S), then print the lines to eval: `eval "$(local_slurm.sh start D)"`
#           or `source D/env.sh`.
#   stop    cancel our jobs, stop the daemons named by the pid files under DIR, wait for them.
#   status  print daemon pids and `sinfo`; exit 0 when all three daemons run.
# Needs root (SlurmUser=root) and the packages of tools/slurm/install_deps.sh. No systemd.
# Ports: two free loopback TCP ports from 20000-29999 (or SUANLI_SLURM_PORT and +1).
# Exit codes: 0 ok, 2 bad usage, 3 environment (a daemon did not come up; log tail printed).
set -euo pipefail

starting=0 # 1 while `start` brings daemons up: a failure then stops what it started

die() { # die CODE MESSAGE [LOGFILE...]: one clear line, then the tail of each log
  local code="$1" msg="$2"
  shift 2
  echo "local_slurm: error: $msg" >&2
  local f
  for f in "$@"; do
    if [ -s "$f" ]; then
      echo "---- tail of $f" >&2
      tail -n 15 "$f" >&2
    fi
  done
  if ((starting)); then
    starting=0
    do_stop quiet || true
  fi
  exit "$code"
}

usage() { die 2 "usage: $0 start|stop|status DIR"; }
[ $# -eq 2 ] || usage
action="$1"
case "$action" in start | stop | status) ;; *) usage ;; esac
if [ "$action" = start ]; then
  mkdir -p "$2" 2>/dev/null || die 2 "cannot create directory '$2'"
elif [ ! -d "$2" ]; then
  [ "$action" = stop ] && exit 0 # nothing was started there
  echo "no local Slurm in '$2' (not a directory)"
  exit 3
fi
dir="$(cd "$2" && pwd -P)"
# Unix socket paths (munge, slurmd, PMIx under DIR) must fit in 108 bytes.
((${#dir} <= 64)) ||
  die 2 "DIR '$dir' is ${#dir} characters long; socket paths under it need it at most 64 (use mktemp -d)"

conf="$dir/slurm.conf"
munge_dir="$dir/munge"
munge_socket="$munge_dir/munge.socket"
log_dir="$dir/log"
pid_dir="$dir/run"
daemons=(slurmd slurmctld munged) # stop order
declare -A log_of=([munged]="$log_dir/munged.log" [slurmctld]="$log_dir/slurmctld.log"
  [slurmd]="$log_dir/slurmd.log")

alive() { # alive PID: the process exists and is not a zombie (PID 1 here may reap late)
  local state
  state="$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

wait_gone() { # wait_gone TENTHS PID...: wait until no PID is alive; fails if one still is
  local n="$1" p i any
  shift
  for ((i = 0; i <= n; i++)); do
    any=0
    for p in "$@"; do
      if alive "$p"; then
        any=1
        break
      fi
    done
    ((any)) || return 0
    ((i == n)) || sleep 0.1
  done
  return 1
}

pid_of() { # pid_of NAME: prints the pid of a live daemon started from DIR, else fails
  local f="$pid_dir/$1.pid" pid
  [ -s "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] && alive "$pid" || return 1
  # The pid must still be that daemon (pid reuse after a reboot or a crash).
  grep -qx "$1" "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_ports() { # sets ctld_port and slurmd_port (two consecutive free ports)
  if [ -n "${SUANLI_SLURM_PORT:-}" ]; then
    ctld_port="$SUANLI_SLURM_PORT"
  else
    local i p
    for i in $(seq 1 50); do
      p=$((20000 + (RANDOM % 5000) * 2))
      if port_free "$p" && port_free "$((p + 1))"; then
        ctld_port="$p"
        break
      fi
    done
    [ -n "${ctld_port:-}" ] || die 3 "no two free loopback ports found in 20000-29999"
  fi
  slurmd_port=$((ctld_port + 1))
}

write_config() {
  local host hw mpi_default plugin_dir
  host="$(hostname -s)"
  # The node as slurmd sees the hardware (CPUs, sockets, cores, threads, RealMemory in MiB);
  # fallback: CPUs=$(nproc) and MemTotal. A mismatch would drain the node or spam the log.
  hw="$(slurmd -C 2>/dev/null | head -n 1 | sed -n 's/^NodeName=[^ ]* //p')"
  [ -n "$hw" ] ||
    hw="CPUs=$(nproc) RealMemory=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))"
  plugin_dir=/usr/lib/x86_64-linux-gnu/slurm-wlm
  [ -d "$plugin_dir" ] || plugin_dir="$(dirname "$(find /usr/lib* -name mpi_none.so -print -quit)")"
  mpi_default=none
  [ -e "$plugin_dir/mpi_pmix.so" ] && mpi_default=pmix
  mkdir -p "$dir/state" "$dir/spool/$host" "$dir/tmp" "$log_dir" "$pid_dir" "$munge_dir"
  chmod 700 "$dir" "$munge_dir"
  cat >"$conf" <<CONF
# Written by tools/slurm/local_slurm.sh: single-host test cluster on loopback, all state in $dir
ClusterName=suanli-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
PluginDir=$plugin_dir
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
TmpFS=$dir/tmp
SlurmctldPidFile=$pid_dir/slurmctld.pid
SlurmdPidFile=$pid_dir/slurmd.pid
SlurmctldLogFile=${log_of[slurmctld]}
SlurmdLogFile=${log_of[slurmd]}
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=$mpi_default
ReturnToService=2
SlurmdParameters=config_overrides
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=60
SchedulerType=sched/backfill
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host $hw State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
}

write_env() {
  # Environment for callers: the config, and settings for OpenMPI 4.1 (see README, pitfalls).
  cat >"$dir/env.sh" <<ENV
# source me: environment for the local test Slurm in $dir
export SLURM_CONF=$conf
# mpirun refuses root without these two (srun direct launch does not need them).
export OMPI_ALLOW_RUN_AS_ROOT=1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# One host: ob1 over shared memory (vader, single copy by CMA); no UCX/openib probing.
export OMPI_MCA_pml=ob1
export OMPI_MCA_btl=self,vader
ENV
}

start_munged() {
  pid_of munged >/dev/null && return 0
  if [ ! -s "$munge_dir/munge.key" ]; then
    dd if=/dev/urandom of="$munge_dir/munge.key" bs=1024 count=1 status=none
    chmod 400 "$munge_dir/munge.key"
  fi
  rm -f "$munge_socket" "$munge_socket.lock"
  # --force: without it munged refuses DIR ("Socket is inaccessible: execute permissions for all
  # required"), since DIR is 0700; the key and the socket stay private to root.
  munged --force --socket="$munge_socket" --key-file="$munge_dir/munge.key" \
    --pid-file="$pid_dir/munged.pid" --log-file="${log_of[munged]}" \
    --seed-file="$munge_dir/munged.seed" </dev/null >>"$log_dir/munged.out" 2>&1 ||
    die 3 "munged did not start" "$log_dir/munged.out" "${log_of[munged]}"
  local i
  for i in $(seq 1 50); do
    [ -S "$munge_socket" ] && munge -n -S "$munge_socket" </dev/null | unmunge -S "$munge_socket" \
      >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die 3 "munged is not answering on $munge_socket" "${log_of[munged]}"
}

start_slurm_daemon() { # start_slurm_daemon NAME ARGS...
  local name="$1"
  shift
  pid_of "$name" >/dev/null && return 0
  "$name" -f "$conf" "$@" </dev/null >>"$log_dir/$name.out" 2>&1 ||
    die 3 "$name did not start" "$log_dir/$name.out" "${log_of[$name]}"
}

wait_idle() {
  local limit_s="${SUANLI_SLURM_WAIT_S:-30}" t0 state=""
  t0=$(date +%s)
  while (($(date +%s) - t0 < limit_s)); do
    for d in munged slurmctld slurmd; do
      pid_of "$d" >/dev/null || die 3 "$d exited during startup" "$log_dir/$d.out" "${log_of[$d]}"
    done
    state="$(SLURM_CONF="$conf" timeout 5 sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)"
    case "$state" in
    idle | mixed | allocated) return 0 ;;
    drain* | down* | fail*)
      die 3 "node is $state: $(SLURM_CONF="$conf" scontrol show node | grep -o 'Reason=.*')" \
        "${log_of[slurmctld]}" "${log_of[slurmd]}"
      ;;
    esac
    sleep 0.5
  done
  die 3 "node not idle after ${limit_s} s (last state: '${state:-none}')" \
    "${log_of[slurmctld]}" "${log_of[slurmd]}"
}

print_env() {
  echo "# local Slurm up in $dir: eval these lines or: source $dir/env.sh"
  grep '^export' "$dir/env.sh"
}

do_start() {
  [ "$(id -u)" -eq 0 ] || die 3 "start needs root (SlurmUser=root)"
  local exe
  for exe in munged munge unmunge slurmctld slurmd sinfo srun scontrol; do
    command -v "$exe" >/dev/null || die 3 "'$exe' not found: run tools/slurm/install_deps.sh"
  done
  if pid_of slurmctld >/dev/null && pid_of slurmd >/dev/null && pid_of munged >/dev/null &&
    [ -s "$conf" ]; then
    wait_idle
    write_env
    print_env
    return 0
  fi
  do_stop quiet # a partial start: begin clean
  starting=1
  pick_ports
  write_config
  write_env
  start_munged
  start_slurm_daemon slurmctld -c # -c: forget jobs and node states of an earlier run in DIR
  start_slurm_daemon slurmd
  wait_idle
  starting=0
  print_env
}

stepd_leftovers() { # pids of slurmstepd processes of DIR's cluster (they log into DIR) and
  # of all their descendants (the job's tasks)
  local p f found=() ppid
  for p in $(pgrep -x slurmstepd 2>/dev/null || true); do
    for f in /proc/"$p"/fd/*; do
      if [[ "$(readlink "$f" 2>/dev/null)" == "$dir"/* ]]; then
        found+=("$p")
        break
      fi
    done
  done
  ((${#found[@]})) || return 0
  # Descendants, by walking ppid links (bounded depth).
  local -A keep=()
  for p in "${found[@]}"; do keep[$p]=1; done
  local depth changed
  for ((depth = 0; depth < 6; depth++)); do
    changed=0
    for f in /proc/[0-9]*/stat; do
      p="${f#/proc/}"
      p="${p%/stat}"
      [ -z "${keep[$p]:-}" ] || continue
      ppid="$(sed -n 's/^[0-9]* (.*) [A-Za-z] \([0-9]*\) .*/\1/p' "$f" 2>/dev/null)" || continue
      if [ -n "$ppid" ] && [ -n "${keep[$ppid]:-}" ]; then
        keep[$p]=1
        changed=1
      fi
    done
    ((changed)) || break
  done
  echo "${!keep[@]}"
}

do_stop() {
  local quiet="${1:-}" d pid left="" jobs i
  local -a pids=() names=() strays=()
  # 1. Cancel our jobs and wait (10 s at most) until slurmctld has none left, so that slurmd can
  #    end the job steps (slurmstepd and the tasks) before it goes.
  if pid_of slurmctld >/dev/null && [ -s "$conf" ]; then
    SLURM_CONF="$conf" timeout 5 scancel --quiet --user=root 2>/dev/null || true
    for i in $(seq 1 50); do
      jobs="$(SLURM_CONF="$conf" timeout 5 squeue -h -t PD,CF,R,S,CG -o %i 2>/dev/null || true)"
      [ -n "$jobs" ] || break
      sleep 0.2
    done
  fi
  # 2. TERM the daemons all at once (each takes about 2 s to wind down), KILL after 10 s.
  for d in "${daemons[@]}"; do
    pid="$(pid_of "$d")" || continue
    pids+=("$pid")
    names+=("$d")
    kill -TERM "$pid" 2>/dev/null || true
  done
  if ((${#pids[@]})) && ! wait_gone 100 "${pids[@]}"; then
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait_gone 20 "${pids[@]}" || true
  fi
  for i in "${!pids[@]}"; do
    if alive "${pids[$i]}"; then left+=" ${names[$i]}(pid ${pids[$i]})"; else
      [ -n "$quiet" ] || echo "local_slurm: stopped ${names[$i]} (pid ${pids[$i]})"
    fi
  done
  # 3. Job steps that outlived slurmd (a killed srun, a hung task): KILL them and their tasks.
  read -r -a strays <<<"$(stepd_leftovers)"
  if ((${#strays[@]})); then
    echo "local_slurm: killing leftover job steps and tasks: ${strays[*]}" >&2
    kill -KILL "${strays[@]}" 2>/dev/null || true
    wait_gone 20 "${strays[@]}" || left+=" job-steps(${strays[*]})"
  fi
  [ -z "$left" ] || die 3 "still running after SIGKILL:$left"
  rm -f "$pid_dir"/*.pid "$munge_socket" 2>/dev/null || true
}

do_status() {
  local d pid rc=0
  for d in munged slurmctld slurmd; do
    if pid="$(pid_of "$d")"; then echo "$d: running (pid $pid)"; else
      echo "$d: not running"
      rc=3
    fi
  done
  if [ -s "$conf" ] && pid_of slurmctld >/dev/null; then
    SLURM_CONF="$conf" timeout 5 sinfo -N || rc=3
  fi
  return "$rc"
}

case "$action" in
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
esac
