import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The guides' TypeScript examples compile in strict mode, as the README's do (jsii-rosetta reads
 * only the README and the API docs): each ```ts block of docs/*.md is put into the fixture the
 * README's examples use (rosetta/default.ts-fixture: a `stack` in scope), its imports and
 * `declare` lines hoisted, with the library's name pointing at src/.
 */
const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test-output', 'guide-examples');

interface Example { readonly page: string; readonly line: number; readonly code: string }

function examples(): Example[] {
  const result: Example[] = [];
  for (const page of fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort()) {
    const lines = fs.readFileSync(path.join(ROOT, 'docs', page), 'utf-8').split('\n');
    lines.forEach((line, i) => {
      if (!/^```ts\b/.test(line)) return;
      const end = lines.indexOf('```', i + 1);
      result.push({ page, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    });
  }
  return result;
}

function inFixture(code: string): string {
  const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf-8');
  const lines = code.replace(/'cdk-bedrock-image-chat'/g, `'${path.join(ROOT, 'src')}'`).split('\n');
  const hoisted = lines.filter((l) => /^(import |declare )/.test(l));
  const body = lines.filter((l) => !/^(import |declare )/.test(l));
  return `${hoisted.join('\n')}\n${fixture.replace('/// here', body.join('\n'))}`;
}

test('every TypeScript example of the guides compiles in strict mode', () => {
  const found = examples();
  expect(found.length).toBeGreaterThanOrEqual(10);
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const files = found.map((example, i) => {
    const file = path.join(OUT, `${example.page.replace(/\.md$/, '')}-${example.line}-${i}.ts`);
    fs.writeFileSync(file, inFixture(example.code));
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    skipLibCheck: true,
    types: ['node'],
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(errors).toEqual([]);
}, 120_000);
