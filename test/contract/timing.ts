import { performance } from 'perf_hooks';

/** The timing of one HTTP request. */
export interface Timing {
  /** Milliseconds to the first token of a stream (the first non-empty `content` delta), else to the first byte of the body. */
  readonly firstByte: number;
  /** Milliseconds to the end of the body. */
  readonly total: number;
}

/** POSTs `body` as JSON and times the answer; throws on a status other than 200. */
export async function timed(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 20_000): Promise<Timing> {
  const start = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  const sse = (res.headers.get('content-type') ?? '').includes('text/event-stream');
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  let firstByte: number | undefined;
  let seen = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstByte !== undefined || value.length === 0) continue;
    if (!sse) {
      firstByte = performance.now() - start;
      continue;
    }
    seen += decoder.decode(value, { stream: true });
    if (/"content":\s*"[^"]/.test(seen)) firstByte = performance.now() - start;
  }
  return { firstByte: firstByte ?? performance.now() - start, total: performance.now() - start };
}

/** The nearest-rank percentile `p` (0-100) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
