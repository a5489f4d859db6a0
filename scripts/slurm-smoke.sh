#!/usr/bin/env bash
# End-to-end check of sharded sweeps on a throwaway single-node Slurm cluster.
#
#   sudo scripts/slurm-smoke.sh [WFHSIM]        # the wfhsim binary: this argument, else the
#                                               # WFHSIM variable, else target/release/wfhsim
#   sudo scripts/slurm-smoke.sh --cluster-only  # the cluster and the shipped job scripts, no wfhsim
#
# As root on a Debian machine it
#   1. installs slurm-wlm and munge from Debian's packages if they are missing;
#   2. starts munged, slurmctld and slurmd in a fresh mktemp folder: their own config
#      (SLURM_CONF), munge key and socket, spool, logs and pid files, on free ports, so it
#      neither reads nor writes /etc/slurm or /etc/munge and does not disturb a cluster
#      already running here; waits for the node to be idle;
#   3. runs the unsharded sweep of scenarios/sweeps/smoke.toml;
#   4. submits examples/slurm-sweep.sbatch as a 4-task job array and the merge job with
#      --dependency=afterok, exactly as that file's header tells a user to, and waits for both;
#   5. compares the merged design.parquet, experiments.parquet, points.parquet and every file
#      under charts/ with the unsharded ones (cmp) and prints PASS or FAIL and what differed.
# On exit, however it exits, it cancels its jobs, stops the daemons it started by their pids
# and removes its folder (SMOKE_KEEP=1 keeps the folder to look at).
# Every wait has a deadline: SMOKE_TIMEOUT seconds for the jobs (default 900), 60 s for the
# cluster. Exit status: 0 PASS, 1 FAIL, 2 bad usage or setup.
set -euo pipefail

say() { printf 'slurm-smoke: %s\n' "$*"; }
die() { printf 'slurm-smoke: FAIL: %s\n' "$*" >&2; exit 1; }
usage() { printf 'slurm-smoke: %s\nusage: sudo %s [WFHSIM | --cluster-only]\n' "$1" "$0" >&2; exit 2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

T_START=$(now)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SBATCH_SCRIPT=$ROOT/examples/slurm-sweep.sbatch
DESIGN=$ROOT/scenarios/sweeps/smoke.toml
JOB_TIMEOUT=${SMOKE_TIMEOUT:-900}
NAME=smoke

CLUSTER_ONLY=0
case "${1:-}" in
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --cluster-only) CLUSTER_ONLY=1 ;;
    -*) usage "unknown option $1" ;;
    "") ;;
    *) WFHSIM=$1 ;;
esac
[ $# -le 1 ] || usage "too many arguments"
[ "$(id -u)" -eq 0 ] || usage "must run as root (it installs packages and starts daemons)"
[ -f "$SBATCH_SCRIPT" ] || usage "$SBATCH_SCRIPT is missing"
# As many shards as the shipped script's array has tasks (#SBATCH --array=1-N).
SHARDS=$(sed -n 's/^#SBATCH --array=1-\([0-9]*\)$/\1/p' "$SBATCH_SCRIPT")
[ -n "$SHARDS" ] || usage "no '#SBATCH --array=1-N' line in $SBATCH_SCRIPT"

if [ "$CLUSTER_ONLY" = 1 ]; then
    # The shipped job scripts with a stand-in binary that prints the command it is given.
    WFHSIM='echo'
else
    WFHSIM=${WFHSIM:-$ROOT/target/release/wfhsim}
    case "$WFHSIM" in /*) ;; *) WFHSIM=$PWD/$WFHSIM ;; esac
    [ -x "$WFHSIM" ] || usage "no wfhsim binary at $WFHSIM (build it: cargo build --release)"
    "$WFHSIM" sweep --help >/dev/null 2>&1 || usage "$WFHSIM has no 'sweep' command"
    [ -f "$DESIGN" ] || usage "$DESIGN is missing"
fi

# ---- the throwaway folder and the exit trap -----------------------------------------------
T=$(mktemp -d -t wfhsim-slurm-smoke.XXXXXX)
chmod 711 "$T"   # munged wants execute permission for all on its socket's folders
mkdir -p "$T/log"
CTLD_PID='' SLURMD_PID='' MUNGED_PID=''
JOBS=()

stop_pid() {   # stop_pid NAME PID: TERM, up to 10 s, then KILL; only if PID is still NAME
    local name=$1 pid=$2
    [ -n "$pid" ] || return 0
    [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    say "$name (pid $pid) still running after 10 s: KILL"
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? t0
    set +e
    t0=$(now)
    if [ ${#JOBS[@]} -gt 0 ] && [ -n "$CTLD_PID" ]; then
        scancel "${JOBS[@]}" 2>/dev/null
        for _ in $(seq 1 100); do   # let cancelled jobs end before slurmd goes
            [ -z "$(squeue -h -j "$(IFS=,; echo "${JOBS[*]}")" -o %i 2>/dev/null)" ] && break
            sleep 0.2
        done
    fi
    stop_pid slurmd "$SLURMD_PID"
    stop_pid slurmctld "$CTLD_PID"
    stop_pid munged "$MUNGED_PID"
    [ -z "$MUNGED_PID" ] || say "stopped the daemons it started (by pid) in $(since "$t0") s; wall time $(since "$T_START") s"
    if [ "${SMOKE_KEEP:-0}" = 1 ]; then
        say "kept $T"
    else
        rm -rf "$T"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM
trap 'say "FAIL: unexpected error at line $LINENO: $BASH_COMMAND"' ERR

wait_for() {   # wait_for SECONDS WHAT COMMAND...: poll COMMAND every 0.2 s until it succeeds
    local secs=$1 what=$2 deadline
    shift 2
    deadline=$(( $(date +%s) + secs ))
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            say "timed out after ${secs} s waiting for $what"
            return 1
        fi
        sleep 0.2
    done
}

first_diff() { cmp "$1" "$2" 2>&1 | head -n 1 || true; }

show_logs() {
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        say "--- last lines of ${f#"$T"/}"
        tail -n 20 "$f" | sed 's/^/    /'
    done
}

# ---- 1. packages -------------------------------------------------------------------------
T0=$(now)
missing=()
for c in munged mungekey munge slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing slurm-wlm and munge (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends slurm-wlm munge; } \
        > "$T/log/apt.log" 2>&1; then
        show_logs "$T/log/apt.log"
        say "could not install slurm-wlm and munge (log above)"
        exit 2
    fi
fi
INSTALL_S=$(since "$T0")

# ---- 2. the cluster ---------------------------------------------------------------------
T0=$(now)
mkdir -p "$T/etc" "$T/run" "$T/spool/ctld" "$T/spool/slurmd" "$T/jobs"
mkdir -m 711 "$T/munge"
mkdir -m 700 "$T/munge/private"
MUNGE_SOCKET=$T/munge/munge.socket
mungekey --create --keyfile="$T/munge/private/munge.key"
munged --socket="$MUNGE_SOCKET" --key-file="$T/munge/private/munge.key" \
    --pid-file="$T/munge/private/munged.pid" --log-file="$T/log/munged.log" \
    --seed-file="$T/munge/private/munged.seed"
MUNGED_PID=$(cat "$T/munge/private/munged.pid")
munge_ok() { munge -S "$MUNGE_SOCKET" -n | unmunge -S "$MUNGE_SOCKET"; }
wait_for 10 "munged to answer on $MUNGE_SOCKET" munge_ok || { show_logs "$T/log/munged.log"; exit 2; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
CTLD_PORT=''
for p in 6817 16817 26817 36817 46817; do
    if port_free "$p" && port_free $((p + 1)); then CTLD_PORT=$p; break; fi
done
[ -n "$CTLD_PORT" ] || { say "no free pair of ports for slurmctld and slurmd"; exit 2; }

H=$(hostname -s)
CPUS=$(nproc)
MEM_MB=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
export SLURM_CONF=$T/etc/slurm.conf
: > "$T/etc/plugstack.conf"
cat > "$SLURM_CONF" <<CONF
# written by wfhsim scripts/slurm-smoke.sh; removed with its folder
ClusterName=wfhsim-smoke
SlurmctldHost=$H
SlurmctldAddr=127.0.0.1
SlurmctldPort=$CTLD_PORT
SlurmdPort=$((CTLD_PORT + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
PlugStackConfig=$T/etc/plugstack.conf
SlurmUser=root
SlurmdUser=root
ReturnToService=2
MinJobAge=3600
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
StateSaveLocation=$T/spool/ctld
SlurmdSpoolDir=$T/spool/slurmd
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
NodeName=$H NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=smoke Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -f "$SLURM_CONF"
wait_for 10 "slurmctld's pid file" test -s "$T/run/slurmctld.pid" || { show_logs "$T/log/slurmctld.log"; exit 2; }
CTLD_PID=$(cat "$T/run/slurmctld.pid")
wait_for 30 "slurmctld to answer (scontrol ping)" sh -c 'scontrol ping | grep -q UP' \
    || { show_logs "$T/log/slurmctld.log"; exit 2; }
slurmd -f "$SLURM_CONF" -N "$H"
wait_for 10 "slurmd's pid file" test -s "$T/run/slurmd.pid" || { show_logs "$T/log/slurmd.log"; exit 2; }
SLURMD_PID=$(cat "$T/run/slurmd.pid")
node_idle() { [ "$(sinfo -h -N -n "$H" -o %T)" = idle ]; }
wait_for 60 "node $H to be idle (sinfo)" node_idle \
    || { sinfo -N -l; show_logs "$T/log/slurmctld.log" "$T/log/slurmd.log"; exit 2; }
SETUP_S=$(since "$T0")
say "cluster up in ${SETUP_S} s: node $H, $CPUS CPUs, ${MEM_MB} MB, ports $CTLD_PORT/$((CTLD_PORT + 1))," \
    "pids munged $MUNGED_PID slurmctld $CTLD_PID slurmd $SLURMD_PID"

# ---- 3. the unsharded sweep ---------------------------------------------------------------
UNSHARDED_S=0
if [ "$CLUSTER_ONLY" = 0 ]; then
    T0=$(now)
    say "unsharded: ${WFHSIM#"$ROOT"/} sweep ${DESIGN#"$ROOT"/} --out <tmp>/unsharded --name $NAME --threads $CPUS"
    "$WFHSIM" sweep "$DESIGN" --out "$T/unsharded" --name "$NAME" --threads "$CPUS" \
        > "$T/log/unsharded.log" 2>&1 || { show_logs "$T/log/unsharded.log"; die "the unsharded sweep failed"; }
    UNSHARDED_S=$(since "$T0")
    say "unsharded sweep done in ${UNSHARDED_S} s"
fi

# ---- 4. the job array and the merge, as examples/slurm-sweep.sbatch says --------------------
T0=$(now)
cd "$T/jobs"   # jobs start in the submission folder: their logs land here
export DESIGN OUT=$T/sharded NAME WFHSIM
sbatch_opts=()
if [ "$CPUS" -lt 2 ]; then sbatch_opts+=(--cpus-per-task="$CPUS"); fi   # the script asks for 2
JOBID=$(sbatch --parsable "${sbatch_opts[@]}" "$SBATCH_SCRIPT")
JOBID=${JOBID%%;*}
JOBS+=("$JOBID")
MERGE_ID=$(sbatch --parsable --dependency=afterok:"$JOBID" --kill-on-invalid-dep=yes --job-name=wfhsim-merge \
       --output=wfhsim-merge-%j.out --mem=2G --wrap "bash $(printf %q "$SBATCH_SCRIPT") merge")
MERGE_ID=${MERGE_ID%%;*}
JOBS+=("$MERGE_ID")
say "submitted array job $JOBID (tasks 1-$SHARDS) and merge job $MERGE_ID (afterok:$JOBID)"

jobs_done() { [ -z "$(squeue -h -j "$JOBID,$MERGE_ID" -o %i)" ]; }
if ! wait_for "$JOB_TIMEOUT" "jobs $JOBID and $MERGE_ID to finish (SMOKE_TIMEOUT)" jobs_done; then
    squeue -j "$JOBID,$MERGE_ID" -o '%.12i %.14j %.10T %.10M %R'
    show_logs "$T"/jobs/*.out
    die "the jobs did not finish within ${JOB_TIMEOUT} s"
fi
JOBS_S=$(since "$T0")

# Every job's final state and exit code, as slurmctld recorded them (kept MinJobAge s).
bad=0
while read -r line; do
    task=$(sed -n 's/.* ArrayTaskId=\([^ ]*\).*/\1/p' <<<"$line")
    state=$(sed -n 's/.* JobState=\([^ ]*\).*/\1/p' <<<"$line")
    code=$(sed -n 's/.* ExitCode=\([^ ]*\).*/\1/p' <<<"$line")
    if [ -n "$task" ]; then say "  array task ${JOBID}_$task: $state, exit $code"
    else say "  merge job $MERGE_ID: $state, exit $code"; fi
    [ "$state" = COMPLETED ] || bad=1
done < <(scontrol -o show job "$JOBID" | sort -t= -k4n; scontrol -o show job "$MERGE_ID")
if [ "$bad" = 1 ]; then
    show_logs "$T"/jobs/*.out
    die "a job did not complete (states above, logs under them)"
fi
say "array and merge done in ${JOBS_S} s"

# ---- 5. compare ----------------------------------------------------------------------------
fail=()
if [ "$CLUSTER_ONLY" = 1 ]; then
    # The stand-in binary printed the commands the shipped scripts run; check them.
    for k in $(seq 1 "$SHARDS"); do
        log=$T/jobs/wfhsim-sweep-${JOBID}_$k.out
        grep -q "^slurm-sweep: shard $k of $SHARDS " "$log" 2>/dev/null || fail+=("task $k: no 'shard $k of $SHARDS' in its log")
        grep -qx "sweep $DESIGN --out $OUT --name $NAME --shard-from-env slurm --threads [0-9]*" "$log" 2>/dev/null \
            || fail+=("task $k: not the expected wfhsim command")
    done
    grep -qx "sweep merge $OUT/$NAME" "$T/jobs/wfhsim-merge-$MERGE_ID.out" 2>/dev/null \
        || fail+=("merge: not the expected wfhsim command")
    for f in "$T"/jobs/*.out; do say "--- ${f#"$T"/}"; sed 's/^/    /' "$f"; done
else
    S=$T/sharded/$NAME U=$T/unsharded/$NAME
    for k in $(seq 1 "$SHARDS"); do
        d=$S/shards/$(printf 'shard=%04d-of-%04d' "$k" "$SHARDS")
        for f in experiments.parquet manifest.json _SUCCESS; do
            [ -f "$d/$f" ] || fail+=("shard $k: no ${d#"$S"/}/$f")
        done
    done
    # The three tables, and any other file the unsharded sweep writes beside them (such as
    # tornado.csv or sobol.csv), except manifest.json: its wall times differ by nature.
    tables=(design.parquet experiments.parquet points.parquet)
    while read -r f; do
        case " ${tables[*]} manifest.json " in *" $f "*) ;; *) tables+=("$f") ;; esac
    done < <(cd "$U" && find . -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort)
    for f in "${tables[@]}"; do
        if [ ! -f "$U/$f" ]; then fail+=("unsharded: no $f")
        elif [ ! -f "$S/$f" ]; then fail+=("merged: no $f")
        elif ! cmp -s "$U/$f" "$S/$f"; then fail+=("$f differs: $(first_diff "$U/$f" "$S/$f")")
        fi
    done
    ( cd "$U" && find charts -type f | LC_ALL=C sort ) > "$T/charts.unsharded" 2>/dev/null || true
    ( cd "$S" && find charts -type f | LC_ALL=C sort ) > "$T/charts.merged" 2>/dev/null || true
    [ -s "$T/charts.unsharded" ] || fail+=("unsharded: no files under charts/")
    while read -r f; do fail+=("$f only in the unsharded sweep"); done \
        < <(LC_ALL=C comm -23 "$T/charts.unsharded" "$T/charts.merged")
    while read -r f; do fail+=("$f only in the merged sweep"); done \
        < <(LC_ALL=C comm -13 "$T/charts.unsharded" "$T/charts.merged")
    nchart=0
    while read -r f; do
        nchart=$((nchart + 1))
        cmp -s "$U/$f" "$S/$f" || fail+=("$f differs: $(first_diff "$U/$f" "$S/$f")")
    done < <(LC_ALL=C comm -12 "$T/charts.unsharded" "$T/charts.merged")
    say "compared ${tables[*]} and $nchart files under charts/ (cmp)"
fi

TOTAL_S=$(since "$T_START")
say "timings: install ${INSTALL_S} s, cluster setup ${SETUP_S} s, unsharded sweep ${UNSHARDED_S} s," \
    "array + merge ${JOBS_S} s, total ${TOTAL_S} s"
if [ ${#fail[@]} -gt 0 ]; then
    for f in "${fail[@]}"; do say "  - $f"; done
    [ "$CLUSTER_ONLY" = 1 ] || show_logs "$T"/jobs/*.out
    if [ "$CLUSTER_ONLY" = 1 ]; then die "${#fail[@]} problem(s) with the jobs' commands"; fi
    die "${#fail[@]} difference(s) between the merged and the unsharded sweep"
fi
if [ "$CLUSTER_ONLY" = 1 ]; then
    say "PASS: cluster, $SHARDS-task array of examples/slurm-sweep.sbatch and the dependent merge job"
else
    say "PASS: the merge of $SHARDS Slurm shards is byte-identical to the unsharded sweep"
fi
