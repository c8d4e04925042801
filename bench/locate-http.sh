#!/usr/bin/env bash
# Load test of GET /api/v1/geo/locate: builds and starts the app (Release) on 127.0.0.1:5182 with
# a fresh SQLite file (it seeds Kundulun, 1,391 grids, on first start), waits for /health, drives
# the endpoint with the 4,096 fixed Kundulun query points using wrk (bounded: DURATION seconds,
# 2 threads, 16 connections by default), prints req/s and p50/p95/p99, and stops the app.
# Usage: bench/locate-http.sh [DURATION_SECONDS] [THREADS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
duration=${1:-20}
threads=${2:-2}
connections=${3:-16}
port=5182
url="http://127.0.0.1:$port"

log() { printf '[locate-http.sh] %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  log "installing wrk (apt-get)"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq wrk >/dev/null
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  log "port $port is already in use; stop whatever listens there first"
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/civicgrid-locate-http.XXXXXX)
db=/tmp/wtbench.db
app_pid=

stop_app() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM -- "-$app_pid" 2>/dev/null || true   # the process group: dotnet run and the app
    for _ in $(seq 1 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_app EXIT

log "building (Release)"
dotnet build src/CivicGrid -c Release -nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build bench/CivicGrid.Benchmarks -c Release -nologo -v q >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet run -c Release --no-build --project bench/CivicGrid.Benchmarks -- --points Kundulun "$work/points.txt" >&2

rm -f "$db" "$db-wal" "$db-shm"
log "starting the app on $url with a fresh $db"
started=$(date +%s.%N)
ConnectionStrings__Default="Data Source=$db" DataProtection__KeyPath="$work/keys" \
  setsid dotnet run -c Release --no-build --project src/CivicGrid -- --urls "$url" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "$url/health" 2>/dev/null && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; log "the app exited"; exit 1; }
  sleep 0.2
done
curl -fsS -o /dev/null "$url/health" || { tail -n 40 "$work/app.log" >&2; log "no /health after 120 s"; exit 1; }
log "healthy after $(echo "$(date +%s.%N) - $started" | bc) s (migrations, demo seed, geo index)"
first=$(head -n 1 "$work/points.txt" | cut -d" " -f1-2)
log "sample: GET /api/v1/geo/locate?lon=${first% *}&lat=${first#* } -> $(curl -sS "$url/api/v1/geo/locate?lon=${first% *}&lat=${first#* }")"

# Every point once (one curl, one kept-alive connection): the app must name the same grid as the
# bench's Kundulun set, which is what makes these figures comparable with LocateBenchmarks.
awk -v u="$url" '{ printf "url = \"%s/api/v1/geo/locate?lon=%s&lat=%s\"\n", u, $1, $2 }' "$work/points.txt" >"$work/curl.cfg"
curl -sS -K "$work/curl.cfg" -w '\n' >"$work/answers.txt"
sed -E 's/.*"grid":\{"code":"([0-9]+)".*/\1/; t; s/.*/-/' "$work/answers.txt" >"$work/got.txt"
same=$(cut -d' ' -f3 "$work/points.txt" | paste -d' ' - "$work/got.txt" | awk '$1 == $2' | wc -l)
log "the app names the same grid as the bench set for $same of $(wc -l <"$work/points.txt") points"

# A short warm-up so the JIT has tiered up before the measured run.
wrk -t"$threads" -c"$connections" -d3s -s bench/locate.lua "$url" -- "$work/points.txt" >/dev/null
log "wrk -t$threads -c$connections -d${duration}s --latency, $(nproc) cores shared by wrk and the app, load average $(cut -d" " -f1-3 /proc/loadavg)"
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s bench/locate.lua "$url" -- "$work/points.txt"
log "load average at the end $(cut -d" " -f1-3 /proc/loadavg)"
