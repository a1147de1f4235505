/**
 * Every `new App()` without an outdir synthesizes into a new temporary `cdk.out*` directory, and a
 * deployment's assets (the image-copy Lambda function among them) are staged into it: about 70 MB
 * per synth, tens of gigabytes per test run. This setup file (jest `setupFilesAfterEnv`) removes
 * the directories this test file created once it is done. It records them as they are made, in
 * this worker process only, so that it never touches another worker's assembly mid-synth.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('fs') = require('fs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const os: typeof import('os') = require('os');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const path: typeof import('path') = require('path');

const created: string[] = [];
const mkdtempSync = fs.mkdtempSync;
(fs as any).mkdtempSync = (prefix: string, options?: any) => {
  const dir = mkdtempSync(prefix, options);
  const parent = path.dirname(prefix);
  if ((parent === os.tmpdir() || parent === fs.realpathSync(os.tmpdir())) && path.basename(prefix).startsWith('cdk.out')) {
    created.push(String(dir));
  }
  return dir;
};

afterAll(() => {
  for (const dir of created.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
