#!/usr/bin/env bash
# Adds the same migration to both providers' migrations assemblies (bitwarden's way).
# Usage: scripts/add-migration.sh NAME
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh NAME}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet build src/CivicGrid.Platform/CivicGrid.Platform.csproj -v q -nologo
for provider in Sqlite Postgres; do
  project=src/Migrations/CivicGrid.Migrations.$provider
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" \
    --context CivicGridDbContext --output-dir Migrations
done
echo "added migration $name for Sqlite and Postgres"
