/**
 * Imports in src/ run one way, public files -> private builders, with no cycle. The lint rule
 * `import/no-cycle` finds cycles of value imports; this test finds cycles of `import type` too,
 * reading every import with the TypeScript compiler's own pre-processor.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

/** Every .ts file under `dir`, relative to src/. */
function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.relative(SRC, full)] : [];
  });
}

/** The src/ files `file` imports (value and type imports, re-exports). */
function importsOf(file: string, all: Set<string>): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(SRC, file), 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.normalize(path.join(path.dirname(file), name)))
    .flatMap((base) => [`${base}.ts`, path.join(base, 'index.ts')].filter((candidate) => all.has(candidate)));
}

/** The cycles of the import graph, each as the files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file);
  return found;
}

const files = sources();
const graph = new Map(files.map((f) => [f, importsOf(f, new Set(files))]));

test('src/ has no import cycle, type-only imports included', () => {
  expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
});

test('the check finds a cycle of type-only imports (it can fail)', () => {
  const withCycle = new Map(graph);
  withCycle.set('private/chat-network.ts', [...graph.get('private/chat-network.ts')!, 'bedrock-image-chat.ts']);
  expect(graph.get('bedrock-image-chat.ts')).toContain('private/chat-network.ts');
  expect(cycles(withCycle).length).toBeGreaterThan(0);
});

test('the graph holds the imports it should (the reader resolves relative paths)', () => {
  expect(graph.get('index.ts')).toEqual(expect.arrayContaining(['bedrock-image-chat.ts', 'litellm-service.ts', 'open-webui-service.ts']));
  expect(graph.get('private/open-webui-backup.ts')).toContain('data-backup.ts');
});
