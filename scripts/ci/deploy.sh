#!/usr/bin/env bash
# Deploys this project to one Supabase project: migrations, Edge Functions and their secrets, a
# smoke test of the deployed API, then the web app built against it. The same steps as
# .github/workflows/deploy.yml's deploy jobs, for other CI systems.
#
# Needs, from the CI's secret store:
#   SUPABASE_DB_URL         the project's connection string (Dashboard > Connect; role postgres)
#   SUPABASE_URL            https://<ref>.supabase.co
#   SUPABASE_ANON_KEY       the project's anon (or publishable) key: the smoke test and the web app
#   SUPABASE_PROJECT_REF    the project's ref, with SUPABASE_ACCESS_TOKEN (a personal access token)
#                           for functions and secrets. Without it the target is taken to serve
#                           supabase/functions itself, as basekit does, and they are not uploaded.
#   FUNCTION_SECRETS        optional: KEY=value lines for `supabase secrets set --env-file`
#   WEB_OUT_DIR             optional: where the built app goes (default web/dist)
set -euo pipefail
cd "$(dirname "$0")/../.."

for name in SUPABASE_DB_URL SUPABASE_URL SUPABASE_ANON_KEY; do
  if [ -z "${!name:-}" ]; then
    echo "deploy: $name is not set (see scripts/ci/deploy.sh)" >&2
    exit 2
  fi
done

step() { printf '\n== %s\n' "$*"; }

step "migrations: supabase db push"
npx supabase db push --db-url "$SUPABASE_DB_URL" --yes

if [ -n "${SUPABASE_PROJECT_REF:-}" ]; then
  if [ -n "${FUNCTION_SECRETS:-}" ]; then
    step "function secrets: supabase secrets set"
    secrets_file="$(mktemp)"
    trap 'rm -f "$secrets_file"' EXIT
    printf '%s\n' "$FUNCTION_SECRETS" >"$secrets_file"
    npx supabase secrets set --project-ref "$SUPABASE_PROJECT_REF" --env-file "$secrets_file"
  fi
  step "edge functions: supabase functions deploy"
  # --use-api bundles on Supabase's side: no Docker on the CI machine.
  npx supabase functions deploy --project-ref "$SUPABASE_PROJECT_REF" --use-api
else
  step "edge functions: no SUPABASE_PROJECT_REF, the target serves supabase/functions itself"
fi

step "smoke test against $SUPABASE_URL"
npx tsx scripts/ci/smoke-test.ts

step "web app built for $SUPABASE_URL"
VITE_SUPABASE_URL="$SUPABASE_URL" VITE_SUPABASE_ANON_KEY="$SUPABASE_ANON_KEY" \
  npm run build -w @basekit/web -- --outDir "${WEB_OUT_DIR:-dist}" --emptyOutDir
