import { awscdk, DependencyType, javascript, JsonFile, ReleasableCommits } from 'projen';

const TEST_MACHINE_STEPS = [
  { name: 'Set up Python 3.11', uses: 'actions/setup-python@v6', with: { 'python-version': '3.11' } },
  { name: 'Install Chromium, Redis and HAProxy', run: 'sudo apt-get update -qq && sudo apt-get install -y -qq chromium redis-server haproxy' },
];

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-bedrock-image-chat',
  description:
    'AWS CDK constructs for a private chat and image-generation app: Open WebUI behind an HTTPS ALB, a LiteLLM proxy and Amazon Bedrock, on ECS Fargate.',
  author: 'cdk-bedrock-image-chat maintainers',
  authorAddress: 'maintainers@cdk-bedrock-image-chat.invalid',
  authorOrganization: true,
  repositoryUrl: 'https://github.com/cdk-bedrock-image-chat/cdk-bedrock-image-chat.git',
  homepage: 'https://github.com/cdk-bedrock-image-chat/cdk-bedrock-image-chat',
  license: 'Apache-2.0',
  // `awscdk` is how Construct Hub finds a library (with the cdk keyword it sets as well).
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'bedrock', 'amazon-bedrock', 'litellm', 'open-webui', 'chat', 'chatbot', 'ecs', 'fargate', 'genai', 'generative-ai', 'image-generation', 'llm'],
  defaultReleaseBranch: 'main',
  // Experimental until 1.0: the public API may still change between minor releases (Construct Hub
  // shows the badge, and jsii marks every type of the assembly so).
  stability: 'experimental',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The lowest supported aws-cdk-lib: cdk-nag 3 (Validations.of(scope).acknowledge), which the
  // hardening work will use, needs >= 2.257.0. Tests run against this exact version.
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  // aws-cdk-lib 2.257 supports Node.js >= 20; jsii's runtime (Python, Java, Go users) supports 22 and 24
  // and warns on 20, which reached its end of life in April 2026.
  minNodeVersion: '20.0.0',

  // The CLI (src/cli, the `cdk-bedrock-image-chat` command, never exported from index.ts) calls
  // the Bedrock control plane, parses its arguments with commander, prints tables with cli-table3
  // and a spinner with nanospinner (all CommonJS, small, maintained). They are bundled so that
  // consumers never resolve them, and no type of them may appear in the public API.
  //
  // cdk-ecr-deployment (cdklabs) copies the pinned upstream images into ECR in the deploying
  // account at deploy time, so that tasks without internet egress can pull them. It is bundled,
  // not a peer dependency, because it is not published to Maven Central (a Java build of this
  // library could not resolve it); none of its types appear in the public API.
  bundledDeps: ['@aws-sdk/client-bedrock@3.1162.0', 'cdk-ecr-deployment@4.2.65', 'commander@14.0.3', 'cli-table3@0.6.5', 'nanospinner@1.2.2'],
  bin: { 'cdk-bedrock-image-chat': 'lib/cli/main.js' },

  // Test tools: playwright-core drives the machine's Chromium (it downloads no browser of its
  // own); semver reads the advisory table's version ranges.
  // aws-sdk-client-mock stands in for Bedrock in the CLI's unit tests; ajv checks the compose file
  // the CLI writes against the Compose Specification's JSON schema.
  // integ-tests-alpha and integ-runner: the integration test apps (test/integ) and the check of
  // their committed snapshots without deploying (integ-tests-alpha's newest release, 2.245.0-alpha.0,
  // takes aws-cdk-lib ^2.245.0).
  devDeps: ['@aws-cdk/integ-tests-alpha@2.245.0-alpha.0', '@aws-cdk/integ-runner@2.197.10', 'playwright-core@1.65.1', 'semver@^7.7.0', '@types/semver@^7.7.0', 'cdk-nag@3.0.2', 'aws-sdk-client-mock@4.1.0', 'ajv@8.20.0', 'socket.io-client@4.8.4'],

  publishToPypi: {
    distName: 'cdk-bedrock-image-chat',
    module: 'cdk_bedrock_image_chat',
    // A PyPI trusted publisher (a pending one before the first release): no token to keep.
    trustedPublishing: true,
  },
  // Maven Central through the Central Portal (publib's `central-ossrh` server, projen's default).
  publishToMaven: {
    javaPackage: 'io.github.cdkbedrockimagechat',
    mavenGroupId: 'io.github.cdkbedrockimagechat',
    mavenArtifactId: 'cdk-bedrock-image-chat',
  },
  // Go modules are published as source to a repository of their own (`-go`), with GO_GITHUB_TOKEN.
  publishToGo: {
    moduleName: 'github.com/cdk-bedrock-image-chat/cdk-bedrock-image-chat-go',
    packageName: 'cdkbedrockimagechat',
  },

  // Releases are cut from Conventional Commits on main: only `feat` and `fix` commits release, a
  // version stays 0.x until 1.0 (a breaking change bumps the minor version), and the release
  // notes are the commits' subjects (dist/changelog.md). `.ci/run` stays the CI entry of this
  // repository; the GitHub workflows are what a maintainer's GitHub repository runs.
  github: true,
  githubOptions: { mergify: false },
  release: true,
  majorVersion: 0,
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  // The workflows' Node.js (jsii's runtime supports 22 and 24).
  workflowNodeVersion: '24.x',
  // The tests run the real LiteLLM and Open WebUI (from PyPI) with Debian's Chromium, Redis and
  // HAProxy, as .ci/run does on its machine: the build and release jobs install them first.
  buildWorkflowOptions: { preBuildSteps: TEST_MACHINE_STEPS },
  releaseWorkflowSetupSteps: TEST_MACHINE_STEPS,
  // Runtime (bundled) dependencies upgrade as `fix(deps)`, so that a release carries them; the
  // development ones as `chore(deps)` in a workflow of their own (below). The aws-cdk-lib and
  // constructs floor is the users' choice, never raised by the bot.
  depsUpgradeOptions: {
    types: [DependencyType.RUNTIME, DependencyType.BUNDLED],
    semanticCommit: 'fix(deps)',
    pullRequestTitle: 'upgrade runtime dependencies',
    exclude: ['aws-cdk-lib', 'constructs'],
  },
  docgen: true,

  // One development tsconfig at the top level, as the design card lists it: tests, lint, the
  // example app and the benchmarks type-check against it (the jsii build owns tsconfig.json).
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['src/**/*.ts', 'test/**/*.ts', 'example/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
    exclude: ['lib', 'dist', 'cdk.out', 'consumers', 'test-output', 'coverage', '.venv-*'],
    compilerOptions: {},
  },
  eslintOptions: { dirs: ['src', 'test', 'example'], projectService: false, tsconfigPath: './tsconfig.dev.json' },
  jestOptions: {
    // Never rewrite snapshots during a test run: a changed template must fail the run.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // Coverage is written to coverage/ (lcov, cobertura), not printed as a 60-line table.
    coverageText: false,
    passWithNoTests: false,
    jestConfig: {
      // The last line of the test output must be "jest: N passed, N failed" for CI to count tests.
      // (projen already adds the default and jest-junit reporters.)
      reporters: [new javascript.JestReporter('<rootDir>/test/summary-reporter.js')],
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/lib/', '/dist/'],
      // The contract tests' virtual environments hold JavaScript packages of their own (Open WebUI
      // ships two copies of pyodide's package.json): jest's module map must not read them.
      modulePathIgnorePatterns: ['<rootDir>/\\.venv-', '<rootDir>/cdk\\.out/', '<rootDir>/dist/', '<rootDir>/test-output/'],
      // Removes the temporary cloud assemblies (about 70 MB each) a test file's synths leave behind.
      setupFilesAfterEnv: ['<rootDir>/test/cleanup-tmp.ts'],
    },
  },
  gitignore: ['cdk.out/', '.venv/', '/.venv-litellm', '/.venv-openwebui', '/.venv-openwebui-previous', '/.venv-bench', '/.ci/work/', '/test-output/', '/consumers/java/target/', '.jsii.tabl.json'],
  // The contract tests' virtual environments (gigabytes, with this machine's paths) and their
  // output must never reach a package.
  npmIgnoreOptions: { ignorePatterns: ['/example/', '/.ci/', 'cdk.out/', '/.venv-litellm/', '/.venv-openwebui/', '/.venv-openwebui-previous/', '/.venv-bench/', '/test-output/', '/docs/', '/consumers/', '/rosetta/'] },
});

// Development dependencies upgrade in a workflow of their own, as chores: they never release.
new javascript.UpgradeDependencies(project, {
  taskName: 'upgrade-dev-deps',
  types: [DependencyType.BUILD, DependencyType.DEVENV, DependencyType.TEST],
  semanticCommit: 'chore(deps)',
  pullRequestTitle: 'upgrade development dependencies',
  exclude: ['aws-cdk-lib', 'constructs'],
});

// Imports run one way, public files -> private builders: no file may import itself back through
// others, type-only imports included (a builder takes a narrow input interface instead).
project.eslint!.addRules({ 'import/no-cycle': ['error', { ignoreExternal: true }] });

// The contract test runs the real LiteLLM proxy, pinned to the release of the container tag.
const litellmVenv = project.addTask('litellm:venv', {
  description: 'Install the pinned LiteLLM proxy from PyPI into .venv-litellm (for the contract test and the benchmark)',
  exec: 'bash test/contract/setup-venv.sh',
});

// The Open WebUI contract test runs the real Open WebUI, with PostgreSQL and pgvector (pgserver).
const openWebUIVenv = project.addTask('openwebui:venv', {
  description: 'Install the pinned Open WebUI and PostgreSQL with pgvector from PyPI into .venv-openwebui (for the contract test, the browser test and the load benchmark)',
  exec: 'bash test/contract/setup-venv.sh openwebui',
});

// The upgrade test migrates a database of the Open WebUI release this library deployed before.
const openWebUIPreviousVenv = project.addTask('openwebui-previous:venv', {
  description: 'Install the Open WebUI release deployed before (0.9.6) into .venv-openwebui-previous (for the upgrade test)',
  exec: 'bash test/contract/setup-venv.sh openwebui-previous',
});

// Lint first and run jest last, so the test output ends with jest's summary.
project.testTask.reset();
project.testTask.spawn(project.tasks.tryFind('eslint')!);
project.testTask.spawn(litellmVenv);
project.testTask.spawn(openWebUIVenv);
project.testTask.spawn(openWebUIPreviousVenv);
project.testTask.exec('jest --ci', { receiveArgs: true });

project.addTask('bench:gateway', {
  description: 'Measure the latency the LiteLLM proxy adds (median and p95 over 50 chat and 20 image requests against a local Bedrock stand-in)',
  steps: [{ spawn: litellmVenv.name }, { exec: 'ts-node --project tsconfig.dev.json test/contract/bench-gateway.ts' }],
});

project.addTask('bench:load', {
  description: 'Load benchmark: 10, 25 and 50 concurrent users chatting (streamed) and drawing through Open WebUI -> LiteLLM -> a Bedrock stand-in that answers after a fixed delay',
  steps: [
    { spawn: litellmVenv.name },
    { spawn: openWebUIVenv.name },
    { exec: 'ts-node --project tsconfig.dev.json test/contract/bench-load.ts', receiveArgs: true },
  ],
});

project.addTask('bench:guardrail', {
  description: 'Guardrail benchmark: first words and checks of a streamed answer through the real LiteLLM with and without litellm.guardrail (Bedrock stand-in; --check-ms sets how long a check takes)',
  steps: [{ spawn: litellmVenv.name }, { exec: 'ts-node --project tsconfig.dev.json test/contract/bench-guardrail.ts', receiveArgs: true }],
});

const benchVenv = project.addTask('bench:venv', {
  description: 'Install matplotlib and py-spy from PyPI into .venv-bench (for the capacity benchmark\'s curve and profiles)',
  exec: 'bash test/contract/setup-venv.sh bench',
});

project.addTask('bench:capacity', {
  description: 'Capacity benchmark: each task size held to its CPU and memory (cgroup v1, as root), users ramped until the first token or an image is too slow; '
    + 'writes docs/capacity.md and docs/capacity.png',
  steps: [
    { spawn: litellmVenv.name },
    { spawn: openWebUIVenv.name },
    { spawn: benchVenv.name },
    { exec: 'ts-node --project tsconfig.dev.json test/contract/bench-capacity.ts', receiveArgs: true },
  ],
});

project.addTask('bench', {
  description: 'Synth time and peak memory of the default deployment against two ApplicationLoadBalancedFargateService, template size against CloudFormation limits, npm tarball size',
  exec: 'ts-node --project tsconfig.dev.json test/bench/synth.ts',
  receiveArgs: true,
});

// The Go module is generated as source (a Go module is published as source). pacmak's own
// `go mod tidy` needs github.com/cdklabs/cloud-assembly-schema-go v53.28.0, which the Go module
// proxy reachable from CI refuses (403); .ci/run syntax-checks the sources, and the Go consumer app
// (consumers/go, run by .ci/consumers.sh) compiles them with a replace to v53.25.0.
project.tasks.tryFind('package:go')!.reset('jsii-pacmak -v --target go --code-only');

// The guides' generated tables and sessions (docs/*.md) are rendered from the code and measurements; a test fails when one is stale.
project.addTask('docs:models', {
  description: 'Render the regions and catalog tables of docs/models.md from src/private/catalog-data.ts',
  exec: 'ts-node --project tsconfig.dev.json test/docs/model-tables.ts',
});

project.addTask('docs:cost', {
  description: "Render the cost table of docs/cost.md with the CLI's estimate of each size and egress mode and the economy recipe",
  exec: 'ts-node --project tsconfig.dev.json test/docs/cost-table.ts',
});

project.addTask('docs:sizes', {
  description: 'Render the sizes table of docs/operations.md from src/private/sizes.ts and docs/capacity.json',
  exec: 'ts-node --project tsconfig.dev.json test/docs/sizes-table.ts',
});

project.addTask('docs:cli', {
  description: 'Record the CLI sessions of docs/cli.md: each command as a process against the local Bedrock control-plane stand-in',
  exec: 'ts-node --project tsconfig.dev.json test/docs/cli-sessions.ts',
});

project.addTask('bench:cost', {
  description: 'Measure the cost targets with the CLI: the default small deployment (<= $150 a month) and the economy recipe (<= $90) in us-east-1',
  exec: 'ts-node --project tsconfig.dev.json test/bench/cost.ts',
});

// The README's architecture picture: docs/architecture.mmd rendered to SVG by mermaid-cli, with
// Debian's Chromium (puppeteer downloads no browser). Not a dependency: only this task needs it.
project.addTask('docs:architecture', {
  description: 'Render docs/architecture.svg (the README\'s picture) from docs/architecture.mmd with mermaid-cli and the machine\'s Chromium',
  env: { PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_EXECUTABLE_PATH: '$(command -v chromium || echo /usr/bin/chromium)' },
  exec: 'mkdir -p test-output && echo \'{"args":["--no-sandbox"]}\' > test-output/puppeteer.json && npx -y @mermaid-js/mermaid-cli@11.17.0 -p test-output/puppeteer.json '
    + '-c docs/architecture.mermaid.json -i docs/architecture.mmd -o docs/architecture.svg -b white',
});

// The integration test apps (test/integ/integ.*.ts): their snapshots are written without deploying
// (a test compares them); CONTRIBUTING.md says how a maintainer deploys them.
// Their asset bodies (the image-copy Lambda alone is 21 MB) are not committed; integ-runner
// compares templates without them. (Added here, after projen's own `!/test/`, which would undo it.)
project.gitignore.addPatterns('/test/integ/*.snapshot/asset.*');
project.addTask('integ:update', {
  description: 'Write the snapshots of the integration test apps in test/integ (synthesizes only, never deploys)',
  exec: 'integ-runner --directory test/integ --language typescript --parallel-regions us-west-2 '
    + '--app "ts-node --project tsconfig.dev.json {filePath}" --dry-run --update-on-failed',
});

// The example app has its own tsconfig so that editors and ts-node find it.
new JsonFile(project, 'example/tsconfig.json', {
  obj: { extends: '../tsconfig.dev.json', include: ['**/*.ts', '../src/**/*.ts'] },
});

project.addTask('example', {
  description: 'Synthesize the example app (new BedrockImageChat(stack, "Chat")) to cdk.out/ and print a summary',
  exec: 'ts-node --project example/tsconfig.json example/app.ts',
});

// README and API examples must compile in strict mode (rosetta/default.ts-fixture gives them a
// stack), so that Construct Hub shows them translated and pacmak fails on one that does not compile.
project.tryFindObjectFile('package.json')!.addOverride('jsii.metadata.jsii.rosetta.strict', true);

project.synth();
