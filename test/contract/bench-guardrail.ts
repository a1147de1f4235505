/**
 * Benchmark: what a Bedrock guardrail (`litellm.guardrail`) adds to a streamed chat answer.
 *
 * Starts the real pinned LiteLLM from a synthesized `LiteLLMService` with `BedrockGuardrail.create()`
 * against the Bedrock stand-in, which streams a 70-word answer a word every 25 ms (a model's pace)
 * and answers ApplyGuardrail after `--check-ms` (Bedrock's own time per check is not known here:
 * try a few). Times the first words and the whole answer with and without the guardrail, and counts
 * the checks and the characters they send (Bedrock bills each check per 1,000 characters, at least
 * one unit, per policy). Prints numbers; asserts nothing.
 *
 *   npx projen bench:guardrail [-- --check-ms 0,150,400] [--answers 10] [--write]
 *
 * With --write the table replaces the guardrail block of docs/security.md.
 */
import { performance } from 'perf_hooks';
import { GUARDRAIL_BENCH_MARKERS, GUARDRAIL_BENCH_WORD_MS as WORD_MS, GUARDRAIL_BENCH_WORDS as WORDS } from './bench-guardrail-markers';
import { startGuardrailProxy } from './guardrail-stack';
import { TEST_MASTER_KEY } from './litellm-proxy';
import { percentile } from './timing';
import { docPage, replaceBlock, rewritePage } from '../docs/doc-block';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** Streams one answer; returns when its first words and its end arrived (ms). */
async function answer(url: string): Promise<{ first: number; total: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${TEST_MASTER_KEY}` },
    body: JSON.stringify({ model: 'claude-haiku-4.5', stream: true, messages: [{ role: 'user', content: 'Count to seventy' }] }),
    signal: AbortSignal.timeout(60_000),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let first = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (first === 0 && text.includes('"content":"w')) first = performance.now() - started;
  }
  return { first, total: performance.now() - started };
}

async function main(): Promise<void> {
  const checkMs = arg('check-ms', '0,150,400').split(',').map(Number);
  const answers = Number(arg('answers', '10'));
  const table = [
    `A ${WORDS}-word answer streamed a word every ${WORD_MS} ms, ${answers} answers per row; milliseconds (\`npx projen bench:guardrail\`):`,
    '',
    '| Guardrail | First words p50 | Whole answer p50 | Checks per answer |',
    '| --- | ---: | ---: | ---: |',
  ];
  const text = Array.from({ length: WORDS }, (_, i) => `w${i}`).join(' ');
  console.log(`A ${WORDS}-word answer, a word every ${WORD_MS} ms; ${answers} answers per row (after 2 warm-ups); milliseconds.`);
  console.log(`${'guardrail'.padEnd(26)}${'first p50'.padStart(10)}${'first p95'.padStart(10)}${'whole p50'.padStart(10)}${'checks'.padStart(8)}${'chars'.padStart(8)}`);
  const rows: [string, number | undefined][] = [['none', undefined], ...checkMs.map((ms): [string, number] => [`on, a check takes ${ms} ms`, ms])];
  for (const [label, ms] of rows) {
    const running = await startGuardrailProxy(text, ['contraband'], ms !== undefined);
    try {
      running.fakeAws.streamWordDelayMs = WORD_MS;
      running.fakeAws.guardrailDelayMs = ms ?? 0;
      const firsts: number[] = [];
      const totals: number[] = [];
      let checks = 0;
      let chars = 0;
      for (let i = 0; i < answers + 2; i++) {
        running.fakeAws.requests.length = 0;
        const t = await answer(running.proxy.url);
        if (i < 2) continue;
        firsts.push(t.first);
        totals.push(t.total);
        const sent = running.fakeAws.requests.filter((r) => r.operation === 'apply-guardrail');
        checks = sent.length;
        chars = sent.reduce((sum, r) => sum + (r.body.content ?? []).reduce((n: number, c: any) => n + String(c?.text?.text ?? '').length, 0), 0);
      }
      const f = (v: number) => v.toFixed(0).padStart(10);
      console.log(`${label.padEnd(26)}${f(percentile(firsts, 50))}${f(percentile(firsts, 95))}${f(percentile(totals, 50))}${String(checks).padStart(8)}${String(chars).padStart(8)}`);
      table.push(`| ${label} | ${percentile(firsts, 50).toFixed(0)} | ${percentile(totals, 50).toFixed(0)} | ${checks} |`);
    } finally {
      await running.stop();
    }
  }
  if (process.argv.includes('--write')) {
    rewritePage(docPage('security.md'), (page) => replaceBlock(page, GUARDRAIL_BENCH_MARKERS, table.join('\n')), 'guardrail table written');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
