#!/usr/bin/env bash
# Runs every test of CivicGrid on SQLite and on a real, throwaway PostgreSQL, with Debian's
# Chromium for the pages. Installs what is missing (apt-get), starts PostgreSQL as a non-root
# user on a free port, stops it at the end, and prints one closing line counted from the TRX
# results: "N passed, N failed, N skipped". Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '[test.sh] %s\n' "$*" >&2; }

# --- 1. Debian packages the tests need -------------------------------------------------------
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
missing=()
for pkg in postgresql chromium fonts-noto-cjk; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]} (apt-get)"
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { log "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# --- 2. A throwaway PostgreSQL cluster -------------------------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { log "PostgreSQL binaries not found"; echo "0 passed, 1 failed"; exit 1; }
pgdir=$(mktemp -d /tmp/civicgrid-pg.XXXXXX)
pguser=$(id -un)
run_pg=()
if [ "$(id -u)" -eq 0 ]; then
  pguser=postgres   # initdb refuses to run as root
  chown postgres "$pgdir"
  run_pg=(runuser -u postgres --)
fi
port=$((20000 + RANDOM % 20000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
password="civicgrid-test-$RANDOM$RANDOM"
printf '%s\n' "$password" >"$pgdir/pwfile"
chmod 600 "$pgdir/pwfile"; [ "$pguser" = postgres ] && chown postgres "$pgdir/pwfile"

stop_pg() {
  "${run_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT

log "starting PostgreSQL ($pgbin) on 127.0.0.1:$port"
"${run_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --pwfile="$pgdir/pwfile" -A scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$pgdir/initdb.log" 2>&1 \
  || { cat "$pgdir/initdb.log" >&2; echo "0 passed, 1 failed"; exit 1; }
"${run_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/server.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null \
  || { cat "$pgdir/server.log" >&2; echo "0 passed, 1 failed"; exit 1; }
export CIVICGRID_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
unset CIVICGRID_SKIP_POSTGRES

# --- 3. Build and run every test -------------------------------------------------------------
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"
export CIVICGRID_SCREENSHOTS="$results/screenshots"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "building"
dotnet build CivicGrid.slnx -c Release -nologo -v q 2>&1 | tail -n 30
build=${PIPESTATUS[0]}
status=$build
format_status=0
if [ "$build" -eq 0 ]; then
  log "checking code style (dotnet format --verify-no-changes)"
  dotnet format CivicGrid.slnx --verify-no-changes -v q 2>&1 | tail -n 20
  format_status=${PIPESTATUS[0]}
  log "running tests on SQLite and PostgreSQL"
  dotnet test --solution CivicGrid.slnx -c Release --no-build --report-xunit-trx --results-directory "$results" \
    --minimum-expected-tests 1 2>&1 | tail -n 60
  status=${PIPESTATUS[0]}
fi

# --- 4. Count the real results ---------------------------------------------------------------
passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
# The style check counts as one check of its own.
if [ "$build" -eq 0 ]; then
  if [ "$format_status" -eq 0 ]; then passed=$((passed + 1)); else log "code style check failed"; failed=$((failed + 1)); fi
fi
if [ "$files" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  log "no results, or the runner failed outside the tests (exit $status): counted as a failure"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
