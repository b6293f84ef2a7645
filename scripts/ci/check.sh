#!/usr/bin/env bash
# The checks every push runs before anything deploys: install, lint, types, then the whole test
# suite on the Docker-free stack. The same steps as .github/workflows/deploy.yml's `check` job, for
# CI systems other than GitHub Actions.
set -euo pipefail
cd "$(dirname "$0")/../.."

# PostgreSQL 15 plays a hosted project in the `supabase db push` test; pgTAP runs the database
# suites (npm test fetches it when missing). Both are Debian packages.
if [ "${BASEKIT_CI_SKIP_APT:-}" != "1" ] && command -v apt-get >/dev/null; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-pgtap >/dev/null
fi

npm install --no-audit --no-fund
npm run lint
npm run typecheck
npm test
