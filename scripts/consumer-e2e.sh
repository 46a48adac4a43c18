#!/usr/bin/env bash
# End-to-end consumer test: what a new user does with the README's "Use it in your project".
#
# 1. compile the library (jsii) and pack it (npm pack): the tarball users install;
# 2. in a temporary folder OUTSIDE the repository, run the README's install block, with
#    `cdk8s-paas` replaced by that tarball (the only change), peers and cdk8s-cli from npm;
# 3. write the README's tsconfig.json, cdk8s.yaml and main.ts, extracted from README.md itself;
# 4. run the README's synth block word for word (cdk8s synth --no-check-upgrade, then the
#    installed `npx cdk8s-paas validate dist/`);
# 5. check the output: the expected objects, kubectl's client-side parse, no secret value
#    outside its Secret, and the installed README's relative links resolve in the package.
#
# Usage: scripts/consumer-e2e.sh [--keep]   (--keep leaves the temporary folder for inspection)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
start=$SECONDS
step() { echo "== consumer-e2e [$((SECONDS - start))s] $*"; }
fail() { echo "consumer-e2e: FAIL: $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-paas-consumer.XXXXXX")"
case "$work" in "$repo"/*) fail "the temporary folder $work is inside the repository";; esac
if [ "${1:-}" != "--keep" ]; then trap 'rm -rf "$work"' EXIT; else echo "keeping $work"; fi

step "compile (jsii) and pack"
(cd "$repo" && npx jsii --silence-warnings=reserved-word >/dev/null)
tarball="$(cd "$repo" && npm pack --pack-destination "$work" --json | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf-8"))[0].filename)')"
tarball="$work/$tarball"
[ -f "$tarball" ] || fail "npm pack wrote no tarball"
echo "   $(basename "$tarball"): $(du -k "$tarball" | cut -f1) KiB"

block() { (cd "$repo" && npx ts-node --transpile-only scripts/markdown-blocks.ts README.md "$1"); }
install_block="$(block 'run: consumer-install')"
synth_block="$(block 'run: consumer-synth')"
tsconfig="$(block 'file: tsconfig.json')"
cdk8s_yaml="$(block 'file: cdk8s.yaml')"
main_ts="$(block 'file: main.ts')"

step "README install block (cdk8s-paas from the tarball)"
grep -q '^npm install cdk8s-paas ' <<<"$install_block" || fail "the README's install block no longer installs cdk8s-paas with 'npm install cdk8s-paas ...'"
(cd "$work" && bash -euo pipefail -c "${install_block//npm install cdk8s-paas /npm install $tarball }")
project="$work/shop-deploy"
[ -d "$project/node_modules/cdk8s-paas/lib" ] || fail "cdk8s-paas is not installed in $project"

step "README tsconfig.json, cdk8s.yaml and main.ts"
printf '%s\n' "$tsconfig" >"$project/tsconfig.json"
printf '%s\n' "$cdk8s_yaml" >"$project/cdk8s.yaml"
printf '%s\n' "$main_ts" >"$project/main.ts"

step "README synth block"
# in this shell (set -euo pipefail), so its exports (DB_PASSWORD) are there for the checks below
cd "$project"
eval "$synth_block"
cd "$repo"

step "check the output"
out="$project/dist/shop.k8s.yaml"
[ -s "$out" ] || fail "cdk8s synth wrote no $out"
# kubectl reads every object client-side, as YAML 1.1 / Go (no cluster here, so `annotate --local`:
# `create --dry-run=client` needs the server's discovery; the schema checks ran in validate above)
names="$(kubectl annotate --local -f "$project/dist/" e2e=1 -o name)"
while read -r name; do echo "   $name"; done <<<"$names"
for want in deployment.apps/web service/web poddisruptionbudget.policy/web configmap/shop-settings- secret/shop-db-; do
  grep -q "^$want" <<<"$names" || fail "kubectl does not see $want in the synthesized output"
done
json="$(kubectl annotate --local -f "$out" e2e=1 -o json)"
# shellcheck disable=SC2016 # JavaScript, not shell: no expansion wanted
node -e '
  // one pretty-printed JSON object per input object, back to back
  const items = JSON.parse("[" + require("fs").readFileSync(0, "utf-8").replace(/^}\n{$/gm, "},{") + "]");
  const fail = m => { console.error("consumer-e2e: FAIL: " + m); process.exit(1); };
  const deployment = items.find(o => o.kind === "Deployment");
  if (deployment.spec.replicas !== 3) fail(`Deployment replicas: expected 3 (main.ts), kubectl reads ${deployment.spec.replicas}`);
  if (!/^hmac-sha256:/.test(deployment.spec.template.metadata.annotations["cdk8s-paas.io/secret-hash"] || ""))
    fail("no HMAC secret-hash annotation although CDK8S_PAAS_SECRET_HASH_KEY is set");
  // the password is in its Secret and nowhere else
  const secret = items.filter(o => o.kind === "Secret");
  if (!JSON.stringify(secret).includes(process.env.DB_PASSWORD)) fail("the Secret does not carry DB_PASSWORD");
  const leak = items.filter(o => o.kind !== "Secret" && JSON.stringify(o).includes(process.env.DB_PASSWORD));
  if (leak.length) fail(`the DB_PASSWORD value appears outside its Secret: ${leak.map(o => o.kind).join(", ")}`);
' <<<"$json"
(cd "$project" && npx cdk8s-paas validate - <"$out" >/dev/null) || fail "cdk8s-paas validate - (stdin) rejects the output"
(cd "$project" && npx cdk8s-paas --version) | grep -qx "$(node -p "require('$repo/package.json').version")" || fail "cdk8s-paas --version does not print the package version"

step "the installed README's relative links resolve inside the package"
pkg="$project/node_modules/cdk8s-paas"
missing=0
checked=0
while read -r link; do
  checked=$((checked + 1))
  [ -e "$pkg/${link%%#*}" ] || { echo "   missing in the package: $link" >&2; missing=1; }
done < <(grep -o '](\([^):]*\))' "$pkg/README.md" | sed 's/^](//; s/)$//' | grep -v '^#' | sort -u)
[ "$checked" -gt 0 ] || fail "found no relative links in the installed README"
echo "   $checked relative links, all present"
[ "$missing" = 0 ] || fail "the installed README links to files the tarball does not contain"

step "passed in $((SECONDS - start))s"
