#!/usr/bin/env python3
"""Checks the built packages in dist/: nothing but what users run, and every artifact under a size budget.

Every artifact (the npm tarball, the Python wheel and sdist, the Maven jars, the Go module) embeds
the same npm tarball, so its content is checked there and in every embedded copy:
- no virtual environment (pyvenv.cfg, site-packages) anywhere, not even inside node_modules;
- none of the project's own non-runtime folders at the package root (tests, test output, the
  example, CI scripts, docs, synthesized templates, coverage);
- the CLI (lib/cli/main.js, the `bin` entry) with its bundled libraries.
The size budget: 32 MiB per artifact. About 26 MiB is what users need: the compiled library, and
the two bundled dependencies, cdk-ecr-deployment (its prebuilt image-copy Lambda, about 51 MiB
unpacked) and @aws-sdk/client-bedrock. The budget leaves room for patch releases of those, and
fails long before a stray test environment (hundreds of MiB) could slip in.
Prints each artifact's size; exits 1 on any finding.
"""
import glob
import io
import sys
import tarfile
import zipfile

BUDGET_BYTES = 32 * 1024 * 1024
ROOT_FORBIDDEN = ('test/', 'test-output/', 'example/', '.ci/', 'docs/', 'cdk.out/', 'coverage/', 'src/', '.projen/')
ANYWHERE_FORBIDDEN = ('pyvenv.cfg', '/site-packages/', '.venv')
# The `cdk-bedrock-image-chat` command and the libraries it runs with, bundled in every package.
CLI_REQUIRED = ('lib/cli/main.js', 'node_modules/commander/package.json', 'node_modules/cli-table3/package.json',
                'node_modules/nanospinner/package.json', 'node_modules/@aws-sdk/client-bedrock/package.json')


def npm_entries(data: bytes) -> list:
    """The paths inside an npm tarball, relative to its `package/` root."""
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as tar:
        return [m.name[len('package/'):] if m.name.startswith('package/') else m.name for m in tar.getmembers()]


def embedded_tarballs(path: str) -> list:
    """The npm tarballs inside an artifact (itself, for the npm package)."""
    if path.endswith('.tgz'):
        return [open(path, 'rb').read()]
    found = []
    if path.endswith('.whl') or path.endswith('.jar'):
        with zipfile.ZipFile(path) as z:
            found = [z.read(n) for n in z.namelist() if n.endswith('.tgz')]
    elif path.endswith('.tar.gz'):
        with tarfile.open(path, 'r:gz') as t:
            found = [t.extractfile(m).read() for m in t.getmembers() if m.name.endswith('.tgz')]
    return found


def main() -> int:
    artifacts = sorted(
        glob.glob('dist/js/*.tgz') + glob.glob('dist/python/*.whl') + glob.glob('dist/python/*.tar.gz')
        + glob.glob('dist/java/**/*.jar', recursive=True) + glob.glob('dist/go/**/*.tgz', recursive=True)
    )
    if not artifacts:
        print('check-packages: no artifacts in dist/; run npx projen package-all first', file=sys.stderr)
        return 1
    problems = []
    print(f'{"artifact":<100} {"MiB":>7}')
    for path in artifacts:
        size = len(open(path, 'rb').read())
        print(f'{path:<100} {size / 1024 / 1024:7.1f}')
        if size > BUDGET_BYTES:
            problems.append(f'{path} is {size / 1024 / 1024:.1f} MiB, over the {BUDGET_BYTES // 1024 // 1024} MiB budget')
        if path.endswith('-javadoc.jar'):
            continue
        tarballs = embedded_tarballs(path)
        if not tarballs:
            problems.append(f'{path} holds no npm tarball of the library')
        for data in tarballs:
            entries = npm_entries(data)
            for required in CLI_REQUIRED:
                if required not in entries:
                    problems.append(f'{path} lacks {required}, which the cdk-bedrock-image-chat command needs')
            for entry in entries:
                if entry.startswith(ROOT_FORBIDDEN) or any(f in entry for f in ANYWHERE_FORBIDDEN):
                    problems.append(f'{path} holds {entry}, which users never run')
    for p in sorted(set(problems))[:40]:
        print(f'check-packages: {p}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
