#!/usr/bin/env bash
# Consumer apps: a Python, a Java and a Go user's CDK app, each built against the package in dist/
# (the wheel with aws-cdk-lib from PyPI, the jar with aws-cdk-lib from Maven Central, the Go module
# through a replace directive with aws-cdk-go from the module proxy, at the versions the library is
# tested with), must synthesize the same template as their TypeScript twin (consumers/typescript/app.ts).
# Run after `npx projen package-all`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.ci/work/consumers
rm -rf "$out"; mkdir -p "$out"
cdk_version=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
constructs_version=$(node -p "require('./package.json').devDependencies['constructs']")

echo "consumers: TypeScript twin"
npx ts-node --project example/tsconfig.json consumers/typescript/app.ts "$out/typescript" >/dev/null

echo "consumers: Python (the wheel in dist/python, aws-cdk-lib==$cdk_version from PyPI)"
python3 -m venv "$out/venv-python"
"$out/venv-python/bin/pip" install --disable-pip-version-check --quiet \
  dist/python/*.whl "aws-cdk-lib==$cdk_version" "constructs==$constructs_version"
# The jsii runtime inside the wheel warns on every start that Node 20 is end of life (see README).
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 "$out/venv-python/bin/python" consumers/python/app.py "$out/python" >/dev/null
python3 consumers/compare.py "$out/typescript/Consumer.template.json" "$out/python/Consumer.template.json"

echo "consumers: Java (the jar in dist/java, aws-cdk-lib $cdk_version from Maven Central)"
# Maven keeps artifacts it has seen in ~/.m2; the library's must come from this build's dist/java.
rm -rf "${HOME}/.m2/repository/io/github/cdkbedrockimagechat"
(cd consumers/java && mvn -q -B -Dcdk.version="$cdk_version" compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 java -cp "consumers/java/target/classes:$(cat consumers/java/target/classpath.txt)" \
  consumer.ConsumerApp "$out/java" >/dev/null
python3 consumers/compare.py "$out/typescript/Consumer.template.json" "$out/java/Consumer.template.json"

echo "consumers: Go (the module in dist/go through a replace directive, aws-cdk-go from the Go module proxy)"
(cd consumers/go && go build -o "../../$out/consumer-go" .)
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 "$out/consumer-go" "$out/go" >/dev/null
python3 consumers/compare.py "$out/typescript/Consumer.template.json" "$out/go/Consumer.template.json"
