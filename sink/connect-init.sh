#!/usr/bin/env bash
# One-shot set-up for a Connect deployment: apply the SQL migrations, then apply every connector
# file and wait until all are RUNNING. Safe to re-run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
java -cp "$here/lib/*" io.wattstream.schema.MigrateMain
exec "$here/apply-connectors.sh" "$here/connectors"
