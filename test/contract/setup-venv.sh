#!/usr/bin/env bash
# Creates the virtual environment of a contract test from pinned files:
#   setup-venv.sh litellm    .venv-litellm: the LiteLLM proxy (requirements.txt, constraints.txt)
#   setup-venv.sh openwebui  .venv-openwebui: Open WebUI, PostgreSQL with pgvector
#                            (openwebui-requirements.txt, openwebui-constraints.txt)
#   setup-venv.sh openwebui-previous
#                            .venv-openwebui-previous: the Open WebUI release deployed before, for
#                            the upgrade test (openwebui-previous-requirements.txt and -constraints.txt)
#   setup-venv.sh bench      .venv-bench: matplotlib and py-spy for the capacity benchmark
#                            (bench-requirements.txt, bench-constraints.txt)
# Does nothing when the environment already matches the pinned files.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:-litellm}
case "$target" in
  litellm)
    venv=.venv-litellm; req=test/contract/requirements.txt; con=test/contract/constraints.txt
    package=litellm; version=$(sed -n 's/^litellm==//p' "$req"); probe=bin/litellm ;;
  openwebui|openwebui-previous)
    venv=.venv-$1; req=test/contract/$1-requirements.txt; con=test/contract/$1-constraints.txt
    package=open-webui; version=$(sed -n '1s/^# open-webui==\([0-9.]*\) .*/\1/p' "$req"); probe=bin/open-webui ;;
  bench)
    venv=.venv-bench; req=test/contract/bench-requirements.txt; con=test/contract/bench-constraints.txt
    package=matplotlib; probe=bin/py-spy ;;
  *) echo "usage: $0 litellm|openwebui|openwebui-previous|bench" >&2; exit 2 ;;
esac
stamp="$venv/.pinned.sha256"
want=$(cat "$req" "$con" | sha256sum | cut -d' ' -f1)
if [ -x "$venv/$probe" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$target:venv: $venv is up to date"
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
pip=("$venv/bin/pip" install --disable-pip-version-check --quiet)
if [ "$package" = open-webui ]; then
  # Without its dependencies first, so that the ones left out (torch) are never resolved.
  "${pip[@]}" --no-deps "open-webui==$version"
fi
if [ "$package" = open-webui ]; then
  # pip's own check after an install would print "ERROR: open-webui ... requires accelerate,
  # which is not installed" for the two packages left out on purpose (see the requirements file).
  # Check instead that nothing else is missing or in conflict.
  "${pip[@]}" --no-warn-conflicts -r "$req" -c "$con"
  broken=$("$venv/bin/pip" check 2>&1 | grep -Ev '^open-webui [0-9.]+ requires (accelerate|sentence-transformers), which is not installed\.$|^No broken requirements found\.$' || true)
  if [ -n "$broken" ]; then echo "$broken" >&2; exit 1; fi
  echo "$target:venv: open-webui without accelerate and sentence-transformers (torch), as the requirements file explains"
else
  "${pip[@]}" -r "$req" -c "$con"
fi
echo "$want" > "$stamp"
echo "$target:venv: installed $("$venv/bin/python" -c "import importlib.metadata as m; print('$package', m.version('$package'))") into $venv"
