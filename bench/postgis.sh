#!/usr/bin/env bash
# The PostGIS peer of the in-process locator: starts a throwaway PostgreSQL 15 cluster with
# postgis (as a non-root user, free port, fsync off, the way ./test.sh does), exports its
# connection string in CIVICGRID_BENCH_POSTGRES, runs the PostGisBenchmarks, stops the cluster.
# Extra arguments go to BenchmarkDotNet, e.g. bench/postgis.sh --anyCategories ...
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[postgis.sh] %s\n' "$*" >&2; }

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if ! dpkg-query -W -f='${Status}' postgresql-15-postgis-3 2>/dev/null | grep -q "install ok installed"; then
  log "installing postgresql-15-postgis-3 (apt-get)"
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends postgresql-15-postgis-3 >/dev/null
fi

pgbin=/usr/lib/postgresql/15/bin
[ -x "$pgbin/initdb" ] || { log "PostgreSQL 15 binaries not found in $pgbin"; exit 1; }
pgdir=$(mktemp -d /tmp/civicgrid-benchpg.XXXXXX)
run_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$pgdir"   # initdb refuses to run as root
  run_pg=(runuser -u postgres --)
fi
port=$((20000 + RANDOM % 20000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
password="civicgrid-bench-$RANDOM$RANDOM"
printf '%s\n' "$password" >"$pgdir/pwfile"
chmod 600 "$pgdir/pwfile"; [ "$(id -u)" -eq 0 ] && chown postgres "$pgdir/pwfile"

stop_pg() {
  "${run_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT

log "starting PostgreSQL 15 + postgis on 127.0.0.1:$port"
"${run_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --pwfile="$pgdir/pwfile" -A scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$pgdir/initdb.log" 2>&1 \
  || { cat "$pgdir/initdb.log" >&2; exit 1; }
# fsync off is harmless here: the benchmark only reads once the table is loaded.
"${run_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/server.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB -c maintenance_work_mem=512MB" \
  start >/dev/null \
  || { cat "$pgdir/server.log" >&2; exit 1; }
"${run_pg[@]}" "$pgbin/postgres" --version >&2
log "load average $(cut -d" " -f1-3 /proc/loadavg)"

export CIVICGRID_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run -c Release --project bench/CivicGrid.Benchmarks -- --filter '*PostGis*' "$@"
log "load average at the end $(cut -d" " -f1-3 /proc/loadavg)"
