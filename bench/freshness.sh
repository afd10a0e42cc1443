#!/usr/bin/env bash
# Freshness of the schedule (issue 25): fixed and adaptive polling side by side on one trace of real
# publication rhythms, in compressed time. bench/freshness_trace.py takes the publication dates of the
# feeds in ../shared/corpus/real, classifies them busy / medium / quiet by median gap, builds FEEDS trace
# feeds from their real gap sequences and serves two identical copies (/fixed/… and /adaptive/…) on
# 127.0.0.1, where entries appear at their (compressed) publication times. Two `feedwatch run` daemons
# poll one copy each for DURATION real seconds (same bounds: interval 15m, min_interval 5m, max_interval
# 1d, jitter 0.1, in simulated time; one is `adaptive: false`). Then it prints, per schedule and per class,
# the median and p90 latency from publication to alert file (simulated minutes), the requests the
# daemon made and requests per feed-day, and whether adaptive halves fixed's median latency with no more
# requests.
#   bench/freshness.sh                 FEEDS=30, DURATION=480 (real s), SCALE=60 (1 real s = 1 simulated min)
#   FEEDWATCH_BIN=/path/feedwatch bench/freshness.sh   measures that binary instead of the release build
#   SEED=2 bench/freshness.sh          another draw of feeds, phases and history lengths from the corpus
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${FEEDS:-30}
DURATION=${DURATION:-480}
SCALE=${SCALE:-60}
SEED=${SEED:-1}
CORPUS=${CORPUS:-../shared/corpus/real}
LEAD=5     # real seconds between the trace server's start and t0, for the daemons' first polls
MARGIN=30  # entries published in the last MARGIN real seconds are not measured

command -v python3 >/dev/null || { echo "freshness.sh: python3 is required" >&2; exit 1; }
for v in FEEDS DURATION SCALE SEED; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || [ "${!v}" -eq 0 ]; then
        echo "freshness.sh: $v must be a positive integer" >&2
        exit 1
    fi
done
[ "$DURATION" -gt $((MARGIN + 30)) ] || { echo "freshness.sh: DURATION must be over $((MARGIN + 30)) s" >&2; exit 1; }
[ -d "$CORPUS" ] || { echo "freshness.sh: no corpus at $CORPUS" >&2; exit 1; }

# Simulated durations in real seconds (rounded); the configuration's lower bounds.
real_secs() { echo $(( ($1 + SCALE / 2) / SCALE )); }
INTERVAL=$(real_secs 900)
MIN_INTERVAL=$(real_secs 300)
MAX_INTERVAL=$(real_secs 86400)
if [ "$INTERVAL" -lt 10 ] || [ "$MIN_INTERVAL" -lt 1 ] || [ "$MAX_INTERVAL" -lt 60 ]; then
    echo "freshness.sh: SCALE=$SCALE gives interval ${INTERVAL}s, min_interval ${MIN_INTERVAL}s, max_interval" \
        "${MAX_INTERVAL}s; feedwatch needs at least 10s, 1s and 60s (SCALE at most 90)" >&2
    exit 1
fi

# FEEDWATCH_BIN: another build to measure; else this checkout's release build.
if [ -n "${FEEDWATCH_BIN:-}" ]; then
    BIN=$FEEDWATCH_BIN
else
    swift build -c release --product feedwatch >/dev/null
    BIN=$PWD/.build/release/feedwatch
fi
[ -x "$BIN" ] || { echo "freshness.sh: $BIN is not executable" >&2; exit 1; }

WORK=$(mktemp -d /tmp/feedwatch-freshness.XXXXXX)
declare -A PID=()
cleanup() {
    local name
    for name in "${!PID[@]}"; do kill "${PID[$name]}" 2>/dev/null || true; done
    for name in "${!PID[@]}"; do wait "${PID[$name]}" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "freshness: $FEEDS feeds, $DURATION s real = $((DURATION * SCALE / 60)) simulated min, SCALE $SCALE" \
    "(1 real s = $((SCALE)) simulated s), seed $SEED, binary $BIN"
echo "schedule (simulated): interval 15m, min_interval 5m, max_interval 1d, jitter 0.1;" \
    "as configured (real): interval ${INTERVAL}s, min_interval ${MIN_INTERVAL}s, max_interval ${MAX_INTERVAL}s"
python3 bench/freshness_trace.py plan --work "$WORK" --corpus "$CORPUS" --feeds "$FEEDS" --scale "$SCALE" \
    --duration "$DURATION" --seed "$SEED"

python3 bench/freshness_trace.py serve --work "$WORK" --lead "$LEAD" >"$WORK/server.out" 2>"$WORK/server.err" &
PID[server]=$!
for _ in $(seq 100); do [ -s "$WORK/t0" ] && break; kill -0 "${PID[server]}" 2>/dev/null || break; sleep 0.1; done
[ -s "$WORK/t0" ] || { echo "freshness.sh: the trace server did not start:" >&2; tail -20 "$WORK/server.err" >&2; exit 1; }
PORT=$(cat "$WORK/port")
T0=$(cat "$WORK/t0")

for copy in fixed adaptive; do
    dir="$WORK/$copy"
    mkdir -p "$dir"
    {
        echo "state_dir: $dir/state"
        echo "spool_dir: $dir/spool"
        echo "log_file: $dir/alerts.log"
        echo "fetch:"
        echo "  allow_private_networks: true"
        echo "  concurrency: 16"
        echo "  per_host: 16"
        echo "alerts:"
        echo "  first_poll: baseline"
        echo "  max_age: 0"
        echo "  story_window: 0"
        echo "schedule:"
        echo "  adaptive: $([ "$copy" = adaptive ] && echo true || echo false)"
        echo "  interval: ${INTERVAL}s"
        echo "  min_interval: ${MIN_INTERVAL}s"
        echo "  max_interval: ${MAX_INTERVAL}s"
        echo "  jitter: 0.1"
        echo "feeds:"
        for ((i = 0; i < FEEDS; i++)); do echo "  - url: http://127.0.0.1:$PORT/$copy/f/$i.xml"; done
    } >"$dir/feedwatch.yaml"
done

STARTED=$(date +%s.%N)
for copy in fixed adaptive; do
    "$BIN" run --config "$WORK/$copy/feedwatch.yaml" >"$WORK/$copy/stdout" 2>"$WORK/$copy/stderr" &
    PID[$copy]=$!
done

# A process that exits before the end fails the run, with the tail of what it said.
check_alive() {
    local name
    for name in server fixed adaptive; do
        if ! kill -0 "${PID[$name]}" 2>/dev/null; then
            local code=0
            wait "${PID[$name]}" || code=$?
            unset "PID[$name]"
            echo "freshness.sh: the $name process exited early (status $code); its stderr ends with:" >&2
            if [ "$name" = server ]; then tail -20 "$WORK/server.err" >&2; else tail -20 "$WORK/$name/stderr" >&2; fi
            exit 1
        fi
    done
}

END_AT=$((T0 + DURATION))
echo "trace server on 127.0.0.1:$PORT; both daemons polling until $(date -d "@$END_AT" +%T) (t0 + $DURATION s) ..."
while [ "$(date +%s)" -lt "$END_AT" ]; do
    check_alive
    sleep 1
done
check_alive

# The adaptive daemon's intervals at the end, and why (from its own state), per class.
STATUS_AT=$(date +%s.%N)
"$BIN" status --config "$WORK/adaptive/feedwatch.yaml" >"$WORK/adaptive/status.txt" 2>&1 || true

for copy in fixed adaptive; do kill -TERM "${PID[$copy]}"; done
END=$(date +%s.%N)
for copy in fixed adaptive; do
    code=0
    for _ in $(seq 300); do kill -0 "${PID[$copy]}" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "${PID[$copy]}" 2>/dev/null; then
        echo "freshness.sh: the $copy daemon did not exit within 30 s of SIGTERM; killing it" >&2
        kill -KILL "${PID[$copy]}" 2>/dev/null || true
    fi
    wait "${PID[$copy]}" || code=$?
    unset "PID[$copy]"
    [ "$code" -eq 0 ] || { echo "freshness.sh: the $copy daemon exited with status $code; its stderr ends with:" >&2
        tail -20 "$WORK/$copy/stderr" >&2; }
done

python3 bench/freshness_trace.py report --work "$WORK" --duration "$DURATION" --margin "$MARGIN" \
    --started "$STARTED" --end "$END"

echo
echo "adaptive feeds at the end (feedwatch status), in simulated time, shortest interval first: interval," \
    "learned gap between entries, and the average gap of the dates each feed lists then:"
python3 bench/freshness_trace.py intervals --work "$WORK" --status "$WORK/adaptive/status.txt" \
    --end "$STATUS_AT" --lead "$LEAD"
