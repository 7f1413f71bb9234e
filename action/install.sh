#!/usr/bin/env bash
# Installs densegraph from the action's own checkout (the folder above this script): its locked
# dependencies, and dist/ built when the checkout does not carry it. Nothing of the repository
# under review is installed or run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -f dist/bin/densegraph.mjs && -d node_modules ]]; then
  echo "densegraph is already installed in $PWD"
elif [[ -f dist/bin/densegraph.mjs ]]; then
  # A release checkout with dist/ built in: the runtime dependencies are enough.
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund
else
  # A source checkout: npm ci installs the build tools too, and `prepare` builds dist/.
  npm ci --no-audit --no-fund
fi
node bin/densegraph.js --version
