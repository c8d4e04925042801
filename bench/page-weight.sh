#!/usr/bin/env bash
# Page weight and slow-3G timings of the phone pages, in Debian's headless Chromium.
#
# Builds the app and bench/CivicGrid.PageWeight in Release, starts the app on a fresh SQLite file
# with the demo district (as `dotnet run` does), and measures each page as a first visit at 360 px
# (see bench/CivicGrid.PageWeight/Program.cs for what is counted): the resident report page of a
# grid's QR code (anonymous) and the grid worker's workbench (signed in as the demo grid worker).
# Usage: bench/page-weight.sh [slow3g|fast3g|none] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-slow3g}
runs=${2:-5}
port=$((20000 + RANDOM % 20000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
url="http://127.0.0.1:$port"
log() { printf '[page-weight.sh] %s\n' "$*" >&2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/civicgrid-page-weight.XXXXXX)
app_pid=
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM -- "-$app_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

log "building (Release)"
{
  dotnet build src/CivicGrid -c Release -nologo -v q
  dotnet build bench/CivicGrid.PageWeight -c Release -nologo -v q
} >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

log "starting the app on $url (fresh SQLite, demo district)"
(
  cd src/CivicGrid
  export ConnectionStrings__Default="Data Source=$work/civicgrid.db" DataProtection__KeyPath="$work/keys" \
    Security__KeyRingPath="$work/field-keys.json" Demo__UsersFile="$work/demo-users.csv" Files__Root="$work/files" \
    RateLimits__PublicPerMinute=100000 RateLimits__SnapPerHour=100000
  exec setsid dotnet run -c Release --no-build -- --urls "$url" >"$work/app.log" 2>&1
) &
app_pid=$!
for _ in $(seq 1 240); do curl -sf "$url/health" >/dev/null && break; sleep 0.5; done
curl -sf "$url/health" >/dev/null || { cat "$work/app.log" >&2; exit 1; }

IFS=, read -r _ grid user password < <(grep '^grid-worker,' "$work/demo-users.csv" | head -n 1)
log "grid $grid, grid worker $user; profile $profile, $runs runs each (median shown)"
measure() { dotnet run -c Release --no-build --project bench/CivicGrid.PageWeight -- "$@" --profile "$profile" --runs "$runs"; }
measure "$url/r/$grid" --wait "#snap-submit" --screenshot "$work/snap.png"
# The grid worker's workbench: the shell, its scripts, the service worker's precache and the day's data.
measure "$url/m/" --user "$user" --password "$password" --wait "#wb-cases > li, #wb-cases-empty:visible"
