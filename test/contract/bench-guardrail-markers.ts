/** The answer `npx projen bench:guardrail` streams: its length in words and the time between words. */
export const GUARDRAIL_BENCH_WORDS = 70;
export const GUARDRAIL_BENCH_WORD_MS = 25;

/** The block of docs/security.md that `npx projen bench:guardrail -- --write` rewrites. */
export const GUARDRAIL_BENCH_MARKERS = [
  '<!-- guardrail table: written by `npx projen bench:guardrail -- --write` -->',
  '<!-- end of guardrail table -->',
] as const;
