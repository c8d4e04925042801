#!/usr/bin/env bash
# Load test of case intake and case detail reads on a durable PostgreSQL on this machine.
#
# Starts a throwaway PostgreSQL cluster with the production durability settings (fsync on,
# synchronous_commit on: every 201 is committed to disk first), builds and starts the app in
# Release against it (it seeds Kundulun's geography on first start), adds a township user for the
# whole district, and drives it from other processes on loopback: wrk (C, 2 threads, so the load
# generator takes little of the 2 cores) with bench/intake.lua and bench/detail.lua, and the .NET
# client bench/CivicGrid.Load for the untimed set-up (photos, case ids) and the ceiling:
#   1. intake: POST /api/v1/cases (Idempotency-Key each) at 64 connections for 60 s, after 10 s of warm-up;
#   2. detail: GET /api/v1/cases/{id} over the newest 1,000 cases at 64 connections for 30 s;
#   3. the ceiling: a bare INSERT+COMMIT per row at 64 connections for 30 s, same cluster.
# Prints one summary line per run. Usage: bench/cases-load.sh [INTAKE_SECONDS] [CONCURRENCY] [PHOTOS]
# PHOTOS=N uploads N distinct photos first (not timed) and every case of the measured run references
# one of its own (a photo attaches to one case only): give more than the run will post.
# RATE=N (environment) adds, after the saturation run, a run of the same length paced at N intakes/s
# in all (bench/intake.lua's delay()): latency at that rate rather than at saturation. With PHOTOS,
# the last RATE*INTAKE_SECONDS*1.05 photos are kept for it, so give that many more.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60}
concurrency=${2:-64}
photos=${3:-0}
rate=${RATE:-}
port=5183
url="http://127.0.0.1:$port"
log() { printf '[cases-load.sh] %s\n' "$*" >&2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/civicgrid-cases-load.XXXXXX)
chmod 755 "$work"
app_pid=
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run_pg=()
[ "$(id -u)" -eq 0 ] && { run_pg=(runuser -u postgres --); chown postgres "$work"; }
pgport=$((20000 + RANDOM % 20000))
while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do pgport=$((pgport + 1)); done

cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM -- "-$app_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$app_pid" 2>/dev/null || true
  fi
  "${run_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

log "building (Release)"
{
  dotnet build src/CivicGrid -c Release -nologo -v q
  dotnet build bench/CivicGrid.Benchmarks -c Release -nologo -v q
  dotnet build bench/CivicGrid.Load -c Release -nologo -v q
} >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet run -c Release --no-build --project bench/CivicGrid.Benchmarks -- --points Kundulun "$work/points.txt" >&2

log "starting a durable PostgreSQL (fsync on, synchronous_commit on) on 127.0.0.1:$pgport"
printf 'loadpass\n' >"$work/pw"
[ ${#run_pg[@]} -gt 0 ] && chown postgres "$work/pw"
"${run_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres --pwfile="$work/pw" -A scram-sha-256 --encoding=UTF8 \
  --locale=C.UTF-8 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
"${run_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -w -l "$work/pg.log" \
  -o "-p $pgport -c listen_addresses=127.0.0.1 -k $work -c max_connections=300 -c shared_buffers=512MB" start >/dev/null
pg="Host=127.0.0.1;Port=$pgport;Username=postgres;Password=loadpass;Database=postgres"
app_db="Host=127.0.0.1;Port=$pgport;Username=postgres;Password=loadpass;Database=civicgrid;Maximum Pool Size=100"

app_env=(env Database__Provider=Postgres "ConnectionStrings__Default=$app_db" DataProtection__KeyPath="$work/keys"
  Security__KeyRingPath="$work/field-keys.json" Demo__Persons=0 Logging__LogLevel__Default=Warning)
log "adding the load user (township role over the district 150203)"
"${app_env[@]}" dotnet run -c Release --no-build --project src/CivicGrid -- \
  users add load-township --role township --jurisdiction 150203 --password Load-township-2026 >"$work/users.log" 2>&1 \
  || { cat "$work/users.log" >&2; exit 1; }

"${app_env[@]}" setsid dotnet run -c Release --no-build --project src/CivicGrid -- --urls "$url" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "$url/health" 2>/dev/null && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; log "the app exited"; exit 1; }
  sleep 0.2
done
curl -fsS -o /dev/null "$url/health" || { tail -n 40 "$work/app.log" >&2; log "no /health after 120 s"; exit 1; }

command -v wrk >/dev/null || { log "wrk is missing: apt-get install wrk"; exit 1; }
load=(dotnet bench/CivicGrid.Load/bin/Release/net10.0/CivicGrid.Load.dll)
photo_file=()
paced_photos=-
if [ "$photos" -gt 0 ]; then
  "${load[@]}" photos "$url" load-township Load-township-2026 "$work/photos.txt" --photos "$photos" --concurrency 16 >&2
  photo_file=("$work/photos.txt")
  if [ -n "$rate" ]; then
    kept=$((rate * duration * 21 / 20))
    total=$(wc -l <"$work/photos.txt")
    [ "$total" -gt "$kept" ] || { log "PHOTOS must be more than RATE*INTAKE_SECONDS*1.05 = $kept"; exit 1; }
    head -n $((total - kept)) "$work/photos.txt" >"$work/photos-saturation.txt"
    tail -n "$kept" "$work/photos.txt" >"$work/photos-paced.txt"
    photo_file=("$work/photos-saturation.txt")
    paced_photos="$work/photos-paced.txt"
  fi
fi
token=$(curl -fsS -X POST -H 'Content-Type: application/json' \
  -d '{"userName":"load-township","password":"Load-township-2026"}' "$url/api/v1/auth/token" \
  | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
threads=$(nproc)
log "warm-up: 10 s of intake without photos (not counted)"
wrk -t"$threads" -c"$concurrency" -d10s -s bench/intake.lua "$url" -- "$work/points.txt" "$token" "$threads" warm >/dev/null
log "$(nproc) cores shared by the app, PostgreSQL and wrk; load average $(cut -d" " -f1-3 /proc/loadavg)"
log "wrk -t$threads -c$concurrency -d${duration}s -s bench/intake.lua"
wrk -t"$threads" -c"$concurrency" -d"${duration}s" -s bench/intake.lua "$url" -- "$work/points.txt" "$token" "$threads" \
  "run$RANDOM" "${photo_file[@]}" | tail -n 1
if [ -n "$rate" ]; then
  log "paced at $rate/s; load average $(cut -d" " -f1-3 /proc/loadavg)"
  log "wrk -t$threads -c$concurrency -d${duration}s -s bench/intake.lua (RATE=$rate)"
  wrk -t"$threads" -c"$concurrency" -d"${duration}s" -s bench/intake.lua "$url" -- "$work/points.txt" "$token" "$threads" \
    "paced$RANDOM" "$paced_photos" "$rate" | tail -n 1
fi
"${load[@]}" ids "$url" load-township Load-township-2026 "$work/ids.txt" >&2
log "wrk -t$threads -c$concurrency -d30s -s bench/detail.lua"
wrk -t"$threads" -c"$concurrency" -d30s -s bench/detail.lua "$url" -- "$work/ids.txt" "$token" | tail -n 1
"${load[@]}" insert "$pg" --concurrency "$concurrency" --duration 30 || log "insert had errors"
log "load average at the end $(cut -d" " -f1-3 /proc/loadavg)"
