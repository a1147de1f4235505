#!/usr/bin/env bash
# Creates .venv-litellm with the pinned LiteLLM proxy from PyPI, for the contract test and the
# gateway benchmark. Does nothing when the environment already matches the pinned files.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-litellm
stamp="$venv/.pinned.sha256"
want=$(cat test/contract/requirements.txt test/contract/constraints.txt | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/litellm" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "litellm:venv: $venv is up to date"
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --quiet \
  -r test/contract/requirements.txt -c test/contract/constraints.txt
echo "$want" > "$stamp"
echo "litellm:venv: installed $("$venv/bin/python" -c "import importlib.metadata as m; print('litellm', m.version('litellm'))") into $venv"
