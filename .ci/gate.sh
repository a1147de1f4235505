#!/usr/bin/env bash
# The template half of the security gate: cfn-lint and checkov, pinned, from PyPI into their own
# virtual environment, on every example configuration (test/security/configurations.ts).
#
# - cfn-lint: no errors and no warnings. The only warnings ignored everywhere are two that
#   aws-cdk-lib's output always raises and that change nothing at deploy time (.ci/cfnlintrc.yaml);
#   any other ignore sits on its resource (Metadata.cfn-lint), put there by the construct.
# - checkov: no failed check. Every skip sits on its resource (Metadata.checkov.skip, with its
#   reason), put there by the construct; the README's Security section lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
work=.ci/work/gate
venv=.ci/work/venv-gate
if [ ! -x "$venv/bin/checkov" ] || ! "$venv/bin/cfn-lint" --version | grep -q '1.58.0'; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check cfn-lint==1.58.0 checkov==3.3.30
fi
rm -rf "$work"
npx ts-node --transpile-only --project tsconfig.dev.json test/security/synth-gate.ts "$work"
failed=0
for template in "$work"/*/*.template.json; do
  name=$(basename "$template")
  if "$venv/bin/cfn-lint" --config-file .ci/cfnlintrc.yaml --format parseable "$template" > "$work/cfn-lint.out" 2>&1; then
    echo "cfn-lint: $name: no errors, no warnings"
  else
    echo "cfn-lint: $name:"; sed 's/^/  /' "$work/cfn-lint.out"; failed=1
  fi
  "$venv/bin/checkov" --quiet --compact --framework cloudformation -f "$template" -o json > "$work/checkov.json" 2>/dev/null || true
  summary=$(python3 - "$work/checkov.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
reports = data if isinstance(data, list) else [data]
failed = [c for r in reports for c in r.get('results', {}).get('failed_checks', [])]
summary = [r.get('summary', {}) for r in reports]
passed = sum(s.get('passed', 0) for s in summary)
skipped = sum(s.get('skipped', 0) for s in summary)
for c in failed:
    print(f"  FAILED {c['check_id']} {c['resource']}: {c['check_name']}")
print(f"passed {passed}, failed {len(failed)}, skipped with a reason {skipped}")
sys.exit(1 if failed else 0)
PY
) && echo "checkov: $name: $summary" || { echo "checkov: $name:"; echo "$summary"; failed=1; }
done
exit $failed
