#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for tests of `lifelong sweep --executor slurm`.
#
#   scripts/slurm-local.sh up      start munged, slurmctld and slurmd; prints the SLURM_CONF to export, last line
#   scripts/slurm-local.sh down    stop the daemons this script started (by the PIDs it recorded), remove the state
#   scripts/slurm-local.sh logs    print the daemons' logs (what a failed start left behind)
#
# Needs the Debian packages slurm-wlm and munge, and root (slurmd runs jobs as their submitter). Everything lives in
# $SLURM_LOCAL_DIR (default /tmp/lifelong-slurm): munge key and socket, slurm.conf, state and spool directories, logs,
# PID files. Ports: $SLURM_LOCAL_PORT (slurmctld, default 6917) and the next one (slurmd).
# The container-friendly choices: proctrack/linuxproc and task/none (no cgroups), select/cons_tres, no accounting.
set -euo pipefail

dir=${SLURM_LOCAL_DIR:-/tmp/lifelong-slurm}
port=${SLURM_LOCAL_PORT:-6917}
conf=$dir/slurm.conf

logs() {
  for f in "$dir"/munged.log "$dir"/slurmctld.log "$dir"/slurmd.log; do
    [ -f "$f" ] && { echo "== $f"; tail -n 40 "$f"; }
  done
  return 0
}

stop_pid() {   # stop one daemon we started, by its recorded PID, if it is still that daemon
  local file=$1 name=$2
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && grep -q "$name" "/proc/$pid/comm"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    [ -d "/proc/$pid" ] && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  stop_pid "$dir/slurmd.pid" slurmd
  stop_pid "$dir/slurmctld.pid" slurmctld
  stop_pid "$dir/munged.pid" munged
  rm -rf "$dir"
}

up() {
  for tool in munged mungekey slurmctld slurmd sinfo sbatch; do
    command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
    command -v "$tool" >/dev/null 2>&1 || { echo "slurm-local: '$tool' not found; apt-get install -y slurm-wlm munge" >&2; exit 1; }
  done
  if [ -f "$dir/slurmctld.pid" ] && [ -d "/proc/$(cat "$dir/slurmctld.pid")" ]; then
    echo "slurm-local: already up"; echo "$conf"; return 0
  fi
  down
  mkdir -p "$dir"/munge "$dir"/state "$dir"/spool
  chmod 700 "$dir"/munge

  mungekey --create --keyfile "$dir/munge/munge.key" --force >/dev/null 2>&1 \
    || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --foreground --key-file "$dir/munge/munge.key" --socket "$dir/munge/munge.socket" \
    --pid-file "$dir/munge/munged.pid" --seed-file "$dir/munge/seed" --log-file "$dir/munged.log" </dev/null >>"$dir/munged.log" 2>&1 &
  echo $! >"$dir/munged.pid"
  for _ in $(seq 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
  [ -S "$dir/munge/munge.socket" ] || { echo "slurm-local: munged did not start" >&2; logs >&2; exit 1; }

  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
  cat >"$conf" <<EOF
ClusterName=lifelong-local
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.daemon.pid
SlurmdPidFile=$dir/slurmd.daemon.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$conf
  slurmctld -D -i -f "$conf" </dev/null >>"$dir/slurmctld.log" 2>&1 &
  echo $! >"$dir/slurmctld.pid"
  slurmd -D -f "$conf" </dev/null >>"$dir/slurmd.log" 2>&1 &
  echo $! >"$dir/slurmd.pid"

  # Ready when the node accepts work.
  for _ in $(seq 150); do
    state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)
    case "$state" in idle|mixed|allocated) echo "slurm-local: up ($host, $cpus CPUs, $mem MB)"; echo "$conf"; return 0 ;; esac
    sleep 0.2
  done
  echo "slurm-local: the node did not become idle (state: '${state:-none}')" >&2
  logs >&2
  down
  exit 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  logs) logs ;;
  *) echo "usage: scripts/slurm-local.sh up|down|logs" >&2; exit 2 ;;
esac
