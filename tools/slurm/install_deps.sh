#!/usr/bin/env bash
# Install (idempotently) the Debian packages the local test Slurm and MPI runs need.
# Usage: tools/slurm/install_deps.sh        (root, or a user with sudo)
# apt-get update runs only when a package is missing. Services are never started by the install:
# where the machine has no /usr/sbin/policy-rc.d, a temporary one (exit 101) is put in place for
# the duration, so munge/slurmd/slurmctld init scripts do not leave system daemons running.
set -euo pipefail
packages=(slurmctld slurmd slurm-client slurm-wlm-basic-plugins munge libpmix2 libpmix-dev
          openmpi-bin libopenmpi-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install_deps: all present (${packages[*]})"
  exit 0
fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  made_policy=1
fi
cleanup() { if ((made_policy)); then $sudo rm -f "$policy"; fi; }
trap cleanup EXIT
echo "install_deps: installing ${missing[*]}"
$sudo apt-get update -qq || {
  echo "install_deps: apt-get update failed (network or apt sources?)" >&2
  exit 3
}
log="$(mktemp /tmp/suanli-slurm-apt.XXXXXX)"
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >"$log" 2>&1; then
  echo "install_deps: apt-get install failed for: ${missing[*]} (log $log)" >&2
  tail -n 20 "$log" >&2
  exit 3
fi
rm -f "$log"
echo "install_deps: done"
