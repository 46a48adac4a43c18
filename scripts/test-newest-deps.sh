#!/usr/bin/env bash
# Runs the test suite against the newest cdk8s, cdk8s-plus-27 and constructs
# that the peer ranges allow, in a scratch copy of the repository: the lock
# file and node_modules of the checkout are left untouched.
#
#   scripts/test-newest-deps.sh [jest arguments...]   (default: the whole suite)
#
# KEEP_SCRATCH=/some/dir reuses (or keeps) that scratch copy instead of a temp dir.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${KEEP_SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-paas-newest-XXXXXX")}"
if [ -z "${KEEP_SCRATCH:-}" ]; then trap 'rm -rf "$scratch"' EXIT; fi

# the working tree as it is (tracked and untracked files, not ignored ones), without node_modules
mkdir -p "$scratch"
(
  cd "$repo"
  git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done \
    | xargs -0 cp --parents -t "$scratch"
)
cd "$scratch"

peer() { node -p "require('./package.json').peerDependencies['$1']"; }
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund --loglevel=error; fi
npm install --no-save --no-audit --no-fund --loglevel=error \
  "cdk8s@$(peer cdk8s)" "cdk8s-plus-27@$(peer cdk8s-plus-27)" "constructs@$(peer constructs)"

echo "== newest allowed versions:"
for p in cdk8s cdk8s-plus-27 constructs; do
  echo "   $p $(node -p "require('$p/package.json').version")"
done
npx jest --ci "$@"
