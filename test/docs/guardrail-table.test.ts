import * as fs from 'fs';
import { docPage } from './doc-block';
import { GUARDRAIL_BENCH_MARKERS, GUARDRAIL_BENCH_WORD_MS, GUARDRAIL_BENCH_WORDS } from '../contract/bench-guardrail-markers';

test('the guardrail table in docs/security.md was written by the benchmark as it measures now (run `npx projen bench:guardrail -- --write` after a change)', () => {
  const page = fs.readFileSync(docPage('security.md'), 'utf-8');
  const from = page.indexOf(GUARDRAIL_BENCH_MARKERS[0]);
  const block = page.substring(from, page.indexOf(GUARDRAIL_BENCH_MARKERS[1]));
  expect(from).toBeGreaterThan(0);
  expect(block).toContain(`A ${GUARDRAIL_BENCH_WORDS}-word answer streamed a word every ${GUARDRAIL_BENCH_WORD_MS} ms`);
  const rows = block.split('\n').filter((line) => /^\| (none|on, )/.test(line)).map((line) => line.split('|').map((cell) => cell.trim()));
  // The answer without a guardrail is never checked; with one, every row checks the same answer.
  expect(rows.find((cells) => cells[1] === 'none')?.[4]).toEqual('0');
  const checked = rows.filter((cells) => cells[1].startsWith('on, '));
  expect(checked.length).toBeGreaterThan(0);
  expect(new Set(checked.map((cells) => cells[4])).size).toBe(1);
  expect(Number(checked[0][4])).toBeGreaterThan(0);
});
