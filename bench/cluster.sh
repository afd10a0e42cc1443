#!/usr/bin/env bash
# Nodes sharing a PostgreSQL state (docs/cluster.md): polls per second with 1, 2 and 3 `feedwatch run`
# nodes (release build, default settings: 16 transfers, 2 per host) over the same N feeds (default
# 2,000 copies of ../shared/corpus/real on 200 loopback hosts, nginx with ETags: the unchanged path,
# every poll a conditional GET answered 304, plus its commit). PostgreSQL 15 from Debian, a throwaway
# cluster in a temporary directory (run as the postgres user), with the settings docs/cluster.md gives.
# For each node count: a fresh database whose feeds are first polled by one `feedwatch once` node (cold),
# then all made due at once; the figure is N polls over the time until every feed has been polled again.
# The nodes, nginx and PostgreSQL share this machine's two cores.
#   bench/cluster.sh [N]         needs root (apt-get nginx postgresql; the server runs as postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
PORT=18091
PGPORT=15433
HOSTS=200
WORK=$(mktemp -d /tmp/feedwatch-cluster.XXXXXX)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cleanup() {
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
    [ -d "$WORK/pg" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

for pkg in nginx postgresql; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
done
# shellcheck source=bench/serve-feeds.sh
. bench/serve-feeds.sh
serve_feeds "$N"

# PostgreSQL: local trust (a benchmark on loopback), the docs' settings.
mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
cat >> "$WORK/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$WORK/pg'
max_connections = 100
shared_buffers = 256MB
synchronous_commit = on
CONF
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -w start >/dev/null
PGVERSION=$(runuser -u postgres -- psql -h "$WORK/pg" -p "$PGPORT" -Atc "SHOW server_version")
sql() { runuser -u postgres -- psql -h "$WORK/pg" -p "$PGPORT" -d "$1" -Atc "$2"; }

swift build -c release --product feedwatch --traits PostgreSQL >/dev/null
BIN=$PWD/.build/release/feedwatch

# A node's configuration: DIR, database, node name.
write_config() {
    local dir=$1 db=$2 node=$3 i
    mkdir -p "$dir"
    {
        echo "state_url: postgresql://postgres@127.0.0.1:$PGPORT/$db?sslmode=disable"
        echo "state_dir: $dir/state"
        echo "spool_dir: $WORK/spool-$db"
        echo "log_file: $dir/alerts.log"
        echo "cluster:"
        echo "  node: $node"
        echo "fetch:"
        echo "  allow_private_networks: true"
        echo "feeds:"
        for ((i = 0; i < N; i++)); do echo "  - url: $(url "$i")"; done
    } > "$dir/feedwatch.yaml"
}

echo "feedwatch $("$BIN" --version) nodes on PostgreSQL $PGVERSION, $N feeds on $HOSTS hosts, $(nproc) cores"
for nodes in 1 2 3; do
    db="bench$nodes"
    sql postgres "CREATE DATABASE $db" >/dev/null
    for ((k = 0; k < nodes; k++)); do write_config "$WORK/$db/n$k" "$db" "n$k"; done
    start=$(date +%s.%N)
    "$BIN" once --config "$WORK/$db/n0/feedwatch.yaml" >/dev/null 2>"$WORK/$db/once.err" || true
    cold=$(echo "$(date +%s.%N) - $start" | bc)
    # Every feed due now: the nodes poll as fast as they can.
    sql "$db" "UPDATE feed SET next_poll = 0, not_before = 0" >/dev/null
    start=$(date +%s.%N)
    read -r _ u0 n0 s0 i0 w0 _ < /proc/stat
    pids=()
    for ((k = 0; k < nodes; k++)); do
        "$BIN" run --config "$WORK/$db/n$k/feedwatch.yaml" 2>"$WORK/$db/n$k/run.err" &
        pids+=($!)
    done
    while [ "$(sql "$db" "SELECT count(*) FROM feed WHERE polls >= 2")" -lt "$N" ]; do sleep 0.1; done
    end=$(date +%s.%N)
    read -r _ u1 n1 s1 i1 w1 _ < /proc/stat
    busy=$(( 100 * ((u1 + n1 + s1) - (u0 + n0 + s0)) / ((u1 + n1 + s1 + i1 + w1) - (u0 + n0 + s0 + i0 + w0)) ))
    kill -TERM "${pids[@]}"; wait "${pids[@]}" || true
    seconds=$(echo "$end - $start" | bc)
    spread=$(sql "$db" "SELECT string_agg(lease_owner || ' ' || n, ', ' ORDER BY lease_owner) FROM (SELECT lease_owner, count(*) AS n FROM feed GROUP BY 1) s")
    printf '%d node(s): cold once %.1f s; all %d feeds due: %.2f s, %.0f polls/s, CPU %d%% busy (last polled by: %s)\n' \
        "$nodes" "$cold" "$N" "$seconds" "$(echo "$N / $seconds" | bc -l)" "$busy" "$spread"
done
