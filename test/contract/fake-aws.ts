import * as http from 'http';
import { AddressInfo } from 'net';
import * as zlib from 'zlib';
import { BedrockApi, CATALOG } from '../../src/private/catalog-data';

/**
 * A local stand-in for the AWS endpoints the tasks call: the Bedrock runtime (InvokeModel and
 * InvokeModelWithResponseStream, Converse, ConverseStream) for LiteLLM, and S3 object calls
 * (PutObject, HeadObject, GetObject with ranges, DeleteObject, path style) for LiteLLM's
 * configuration and Open WebUI's files. It listens on 127.0.0.1 only, records every request, and
 * answers in each API's wire format: Converse in Converse's shape, InvokeModel in the model
 * family's own (Anthropic Messages for Claude, Titan, Nova, Stability).
 *
 * Like Bedrock, it refuses a catalog model on a runtime API the model is not served on (the row's
 * `apis` in src/private/catalog-data.ts), so a contract test fails when LiteLLM takes the wrong route.
 */

/** A request the stand-in received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The decoded model id or ARN of a Bedrock runtime call. */
  readonly modelId?: string;
  /** `invoke`, `converse` or `converse-stream` for a Bedrock runtime call. */
  readonly operation?: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/** A guardrail the stand-in serves on ApplyGuardrail. */
export interface ServedGuardrail {
  /** The guardrail id as the caller sends it in the path. */
  readonly id: string;
  /** Its version (a number or `DRAFT`). */
  readonly version: string;
  /** Words that make the guardrail block the text that holds them (any case). */
  readonly blockedWords: string[];
  /** What the guardrail answers for blocked input (its `blockedInputMessaging`). */
  readonly blockedInputMessage: string;
  /** What the guardrail answers for a blocked model answer (its `blockedOutputsMessaging`). */
  readonly blockedOutputsMessage: string;
}

/** What the stand-in answers. */
export interface FakeAwsOptions {
  /** The text of every chat answer. */
  readonly chatText: string;
  /** The image (PNG bytes) of every image answer. */
  readonly png: Buffer;
  /** The length of every embedding vector. */
  readonly embeddingLength: number;
  /** How long a Bedrock runtime call waits before it answers (for the load benchmark). */
  readonly delayMs?: number;
}

/** An error of the Bedrock runtime, as the service sends it: status, `x-amzn-ErrorType` and message. */
export interface BedrockFault {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** The runtime API of each Bedrock runtime operation the stand-in serves. */
const API_OF_OPERATION: Record<string, BedrockApi> = {
  'invoke': 'INVOKE',
  'invoke-with-response-stream': 'INVOKE',
  'converse': 'CONVERSE',
  'converse-stream': 'CONVERSE',
};

/** The APIs Bedrock serves each catalog model id on. */
export function catalogApis(): Record<string, BedrockApi[]> {
  return Object.fromEntries(Object.values(CATALOG).map((e) => [e.modelId, [...e.apis]]));
}

/** What Bedrock answers a caller over its tokens-per-minute or requests-per-minute quota. */
export const THROTTLING: BedrockFault = { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' };

/** What Bedrock answers a request its guardrails or the model's content filter refuse. */
export const CONTENT_FILTERED: BedrockFault = {
  status: 400,
  type: 'ValidationException',
  message: 'This request has been blocked by our content filters. Please adjust your text prompt to submit a new request.',
};

/**
 * The stand-in's answer to a Bedrock runtime call: a fault, no answer at all (`'stall'`), or, for
 * a streamed chat, the first word of the answer and then nothing more (`'stall-mid-stream'`).
 */
export type InjectedFault = BedrockFault | 'stall' | 'stall-mid-stream';

export class FakeAws {
  public static async start(options: FakeAwsOptions): Promise<FakeAws> {
    const fake = new FakeAws(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  public readonly requests: RecordedRequest[] = [];
  /** While true, S3 answers every object call `503 ServiceUnavailable`, as during an outage. */
  public s3Unavailable = false;
  /** How long a streamed chat answer waits between its words (0: all at once). */
  public streamWordDelayMs = 0;
  /** How long an image model's answer takes, on top of `delayMs` (0: no more). */
  public imageDelayMs = 0;
  /** How long an embedding model's answer takes, in place of `delayMs` (an embedding is quicker than a chat's first words). */
  public embeddingDelayMs?: number;
  /**
   * The runtime APIs each model id is served on (the catalog's by default); a call on another is
   * refused as Bedrock refuses it. A model id not listed (an ARN, a custom model) is served on all.
   */
  public servedApis: Record<string, BedrockApi[]> = catalogApis();
  /** The text of every chat answer (the `chatText` option, until a test changes it). */
  public chatText: string;
  /** The one guardrail ApplyGuardrail serves, when set (see `applyGuardrail`). */
  public guardrail?: ServedGuardrail;
  /** How long an ApplyGuardrail call takes (0: at once). */
  public guardrailDelayMs = 0;
  private readonly server: http.Server;
  private readonly objects = new Map<string, Buffer>();
  private readonly faults: InjectedFault[] = [];
  private readonly stalled: http.ServerResponse[] = [];

  private constructor(private readonly options: FakeAwsOptions) {
    this.chatText = options.chatText;
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const answer = () => {
          try {
            this.handle(req, Buffer.concat(chunks), res);
          } catch (e) {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ message: String(e) }));
          }
        };
        // The model id is URL-encoded in the path (`us.stability...%3A1`); a path that is not is read as it is.
        let url = req.url ?? '';
        try {
          url = decodeURIComponent(url);
        } catch {
          // not percent-encoded: keep it
        }
        const image = /^\/model\/[^/]*(nova-canvas|titan-image|stability\.)/.test(url);
        const embedding = /^\/model\/[^/]*embed/.test(url);
        const base = embedding && this.embeddingDelayMs !== undefined ? this.embeddingDelayMs : (this.options.delayMs ?? 0);
        const delay = url.startsWith('/model/') ? base + (image ? this.imageDelayMs : 0) : 0;
        if (delay > 0) setTimeout(answer, delay);
        else answer();
      });
    });
    // A proxy that keeps connections open must not keep the test process alive.
    this.server.keepAliveTimeout = 1000;
  }

  /** The base URL, for example `http://127.0.0.1:45678`. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Serves an S3 object. */
  public putObject(bucket: string, key: string, content: string | Buffer): void {
    this.objects.set(`${bucket}/${key}`, Buffer.from(content));
  }

  /** The S3 object a task stored, or undefined. */
  public getObject(bucket: string, key: string): Buffer | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }

  /** The keys of a bucket's objects. */
  public objectKeys(bucket: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(`${bucket}/`)).map((k) => k.substring(bucket.length + 1));
  }

  /** The S3 calls received for a bucket (method and key). */
  public s3CallsFor(bucket: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === undefined && r.path.startsWith(`/${bucket}/`));
  }

  /**
   * Answers the next `times` Bedrock runtime calls with `fault` instead of a result (queued after
   * faults already waiting); a `'stall'` call gets no answer until the stand-in stops.
   */
  public failNext(fault: InjectedFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  /** Drops the faults still waiting. */
  public clearFaults(): void {
    this.faults.length = 0;
  }

  /** The Bedrock runtime calls received for a model id or ARN. */
  public callsFor(modelId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.modelId === modelId);
  }

  /**
   * S3 object calls, path style (/bucket/key) as botocore sends them to an IP endpoint. Only
   * signed requests are served, as S3 would.
   */
  private handleS3(req: http.IncomingMessage, objectPath: string, raw: Buffer, res: http.ServerResponse): void {
    const error = (status: number, code: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
    };
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      error(403, 'AccessDenied');
      return;
    }
    if (this.s3Unavailable) {
      error(503, 'ServiceUnavailable');
      return;
    }
    if (req.method === 'PUT') {
      // The transfer manager sends small files in one PutObject, possibly aws-chunked.
      const chunked = String(req.headers['content-encoding'] ?? '').includes('aws-chunked');
      this.objects.set(objectPath, chunked ? decodeAwsChunked(raw) : raw);
      res.writeHead(200, { etag: `"${this.requests.length}"` });
      res.end();
      return;
    }
    if (req.method === 'DELETE') {
      this.objects.delete(objectPath);
      res.writeHead(204);
      res.end();
      return;
    }
    const object = this.objects.get(objectPath);
    if (object === undefined) {
      error(404, 'NoSuchKey');
      return;
    }
    const headers = { 'content-type': 'application/octet-stream', 'etag': '"object"', 'last-modified': new Date(0).toUTCString(), 'accept-ranges': 'bytes' };
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (req.method === 'GET' && range) {
      const start = Number(range[1]);
      const end = range[2] === '' ? object.length - 1 : Math.min(Number(range[2]), object.length - 1);
      const part = object.subarray(start, end + 1);
      res.writeHead(206, { ...headers, 'content-length': part.length, 'content-range': `bytes ${start}-${end}/${object.length}` });
      res.end(part);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': object.length });
    res.end(req.method === 'HEAD' ? undefined : object);
  }

  public async stop(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * ApplyGuardrail (`POST /guardrail/{id}/version/{version}/apply`) for the guardrail set with
   * `serveGuardrail`: any text that holds one of its blocked words is blocked as Bedrock's content
   * filter blocks it (`GUARDRAIL_INTERVENED`, the guardrail's blocked message for its source, a
   * BLOCKED VIOLENCE filter); other text passes (`NONE`). An unknown guardrail gets Bedrock's 404.
   */
  private applyGuardrail(id: string, version: string, request: any, res: http.ServerResponse): void {
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.requests.length}`, ...headers });
      res.end(JSON.stringify(payload));
    };
    const served = this.guardrail;
    if (served === undefined || served.id !== id || served.version !== version) {
      json(404, { message: `The guardrail ${id} version ${version} was not found.` }, { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
      return;
    }
    const texts: string[] = (request?.content ?? []).map((c: any) => String(c?.text?.text ?? ''));
    const usage = {
      topicPolicyUnits: 0,
      contentPolicyUnits: texts.length,
      wordPolicyUnits: 0,
      sensitiveInformationPolicyUnits: 0,
      sensitiveInformationPolicyFreeUnits: 0,
      contextualGroundingPolicyUnits: 0,
    };
    const blocked = texts.some((t) => served.blockedWords.some((w) => t.toLowerCase().includes(w.toLowerCase())));
    if (!blocked) {
      json(200, { usage, action: 'NONE', outputs: [], assessments: [{}] });
      return;
    }
    const message = request?.source === 'OUTPUT' ? served.blockedOutputsMessage : served.blockedInputMessage;
    json(200, {
      usage,
      action: 'GUARDRAIL_INTERVENED',
      actionReason: 'Guardrail blocked.',
      outputs: [{ text: message }],
      assessments: [{ contentPolicy: { filters: [{ type: 'VIOLENCE', confidence: 'HIGH', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }] } }],
    });
  }

  /**
   * InvokeModel for Claude: the Anthropic Messages response, or for InvokeModelWithResponseStream
   * the Messages stream events, each the base64 `bytes` of an event-stream `chunk`.
   */
  private answerAnthropic(operation: string, modelId: string, res: http.ServerResponse): void {
    const usage = { input_tokens: 5, output_tokens: 7 };
    if (operation === 'invoke') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.requests.length}` });
      res.end(JSON.stringify({
        id: 'msg_contract',
        type: 'message',
        role: 'assistant',
        model: modelId,
        content: [{ type: 'text', text: this.chatText }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage,
      }));
      return;
    }
    const chunk = (event: unknown) => eventStreamMessage('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') });
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    res.write(chunk({ type: 'message_start', message: { id: 'msg_contract', type: 'message', role: 'assistant', model: modelId, content: [], usage: { input_tokens: 5, output_tokens: 0 } } }));
    res.write(chunk({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
    for (const word of this.chatText.split(/(?<= )/)) {
      res.write(chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } }));
    }
    res.write(chunk({ type: 'content_block_stop', index: 0 }));
    res.write(chunk({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } }));
    res.end(chunk({ 'type': 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 5, outputTokenCount: 7 } }));
  }

  private handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const guardrail = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/.exec(path);
    if (guardrail) {
      const request = JSON.parse(raw.toString('utf-8'));
      this.requests.push({ method: req.method ?? '', path, operation: 'apply-guardrail', headers: req.headers, body: request });
      const apply = () => this.applyGuardrail(decodeURIComponent(guardrail[1]), decodeURIComponent(guardrail[2]), request, res);
      if (this.guardrailDelayMs > 0) setTimeout(apply, this.guardrailDelayMs);
      else apply();
      return;
    }
    const runtime = /^\/model\/(.+)\/(invoke|converse|converse-stream|invoke-with-response-stream)$/.exec(path);
    const body = raw.length > 0 && runtime ? JSON.parse(raw.toString('utf-8')) : raw.toString('utf-8');
    const modelId = runtime ? decodeURIComponent(runtime[1]) : undefined;
    this.requests.push({ method: req.method ?? '', path, modelId, operation: runtime?.[2], headers: req.headers, body });

    if (!runtime) {
      this.handleS3(req, decodeURIComponent(path.substring(1)), raw, res);
      return;
    }

    const operation = runtime[2];
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.requests.length}`, ...headers });
      res.end(JSON.stringify(payload));
    };
    const api = API_OF_OPERATION[operation];
    const served = this.servedApis[modelId!];
    if (served !== undefined && !served.includes(api)) {
      // Bedrock's answer to a model called on an API it is not served on.
      const message = api === 'CONVERSE'
        ? "This action doesn't support the model that you provided. Try again with a supported text or chat model."
        : `The provided model identifier is invalid for InvokeModel: ${modelId} is served on ${served.join(', ')}.`;
      json(400, { message }, { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
      return;
    }
    const fault = this.faults.shift();
    if (fault === 'stall' || (fault === 'stall-mid-stream' && operation !== 'converse-stream')) {
      this.stalled.push(res);
      return;
    }
    if (fault !== undefined && fault !== 'stall-mid-stream') {
      json(fault.status, { message: fault.message }, { 'x-amzn-errortype': `${fault.type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
      return;
    }
    // A model offered Open WebUI's generate_image tool (native function calling) calls it once,
    // as a real model asked for a picture would; after the tool's result it answers in text.
    const toolCall = toolCallFor(body);
    if (operation === 'converse' && toolCall) {
      json(200, {
        output: { message: { role: 'assistant', content: [{ toolUse: toolCall }] } },
        stopReason: 'tool_use',
        usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 },
        metrics: { latencyMs: 1 },
      });
      return;
    }
    if (operation === 'converse-stream' && toolCall) {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.write(eventStreamMessage('messageStart', { role: 'assistant' }));
      res.write(eventStreamMessage('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: toolCall.toolUseId, name: toolCall.name } } }));
      res.write(eventStreamMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: JSON.stringify(toolCall.input) } } }));
      res.write(eventStreamMessage('contentBlockStop', { contentBlockIndex: 0 }));
      res.write(eventStreamMessage('messageStop', { stopReason: 'tool_use' }));
      res.end(eventStreamMessage('metadata', { usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 }, metrics: { latencyMs: 1 } }));
      return;
    }
    if (operation === 'converse') {
      json(200, {
        output: { message: { role: 'assistant', content: [{ text: this.chatText }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 },
        metrics: { latencyMs: 1 },
      });
      return;
    }
    if (operation === 'converse-stream') {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      const words = this.chatText.split(/(?<= )/);
      res.write(eventStreamMessage('messageStart', { role: 'assistant' }));
      const send = (i: number) => {
        if (res.destroyed) return;
        if (i < words.length) {
          res.write(eventStreamMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: words[i] } }));
          if (fault === 'stall-mid-stream') {
            this.stalled.push(res);
            return;
          }
          if (this.streamWordDelayMs > 0) setTimeout(() => send(i + 1), this.streamWordDelayMs);
          else send(i + 1);
          return;
        }
        res.write(eventStreamMessage('contentBlockStop', { contentBlockIndex: 0 }));
        res.write(eventStreamMessage('messageStop', { stopReason: 'end_turn' }));
        res.end(eventStreamMessage('metadata', { usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 }, metrics: { latencyMs: 1 } }));
      };
      send(0);
      return;
    }
    const family = modelFamily(modelId!, body);
    if (family === 'anthropic') {
      this.answerAnthropic(operation, modelId!, res);
      return;
    }
    if (operation !== 'invoke') {
      json(400, { message: `operation ${operation} is not served by this stand-in for ${modelId}` });
      return;
    }
    const image = this.options.png.toString('base64');
    switch (family) {
      case 'titan-embed': {
        const length = this.options.embeddingLength;
        json(200, { embedding: Array.from({ length }, (_, i) => i / length), inputTextTokenCount: 3 });
        return;
      }
      case 'nova-embed': {
        // Nova 2 Multimodal Embeddings: one vector of the requested length per input.
        const length = body?.singleEmbeddingParams?.embeddingDimension ?? 3072;
        json(200, { embeddings: [{ embeddingType: 'TEXT', embedding: Array.from({ length }, (_, i) => i / length) }] });
        return;
      }
      case 'nova-canvas':
      case 'titan-image':
        json(200, { images: [image], error: null });
        return;
      case 'stability':
        json(200, { seeds: [42], finish_reasons: [null], images: [image] });
        return;
      default:
        json(400, { message: `ValidationException: the stand-in has no response format for ${modelId}` });
    }
  }
}

/** The payload of an `aws-chunked` body: hex length, `;chunk-signature=...` or trailer lines, data. */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!(size > 0)) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** The name of the image tool Open WebUI offers a model with native function calling. */
export const IMAGE_TOOL = 'generate_image';

/**
 * The tool call the stand-in answers with: `generate_image` with the user's last words as the
 * prompt, when the request offers that tool and holds no tool result yet.
 */
export function toolCallFor(body: any): { toolUseId: string; name: string; input: { prompt: string } } | undefined {
  const offered = (body?.toolConfig?.tools ?? []).some((t: any) => t.toolSpec?.name === IMAGE_TOOL);
  const messages: any[] = body?.messages ?? [];
  const answered = messages.some((m) => (m.content ?? []).some((c: any) => c.toolResult !== undefined));
  if (!offered || answered) return undefined;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const text = (lastUser?.content ?? []).map((c: any) => c.text ?? '').join(' ').trim();
  return { toolUseId: 'tooluse_contract_0001', name: IMAGE_TOOL, input: { prompt: text } };
}

/** The model family a runtime call is for, from the model id, or from the body for an ARN. */
export function modelFamily(modelId: string, body: any): string {
  if (modelId.includes('titan-embed')) return 'titan-embed';
  if (modelId.includes('nova-2-multimodal-embeddings')) return 'nova-embed';
  if (modelId.includes('nova-canvas')) return 'nova-canvas';
  if (modelId.includes('titan-image')) return 'titan-image';
  if (modelId.startsWith('stability.')) return 'stability';
  if (/(^|\.)anthropic\./.test(modelId) || (typeof body === 'object' && body !== null && 'anthropic_version' in body)) return 'anthropic';
  if (typeof body === 'object' && body !== null && 'inputText' in body) return 'titan-embed';
  return 'unknown';
}

/** One message of the AWS event stream encoding (application/vnd.amazon.eventstream). */
export function eventStreamMessage(eventType: string, payload: unknown): Buffer {
  const headers = Buffer.concat(
    Object.entries({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }).map(([name, value]) => {
      const n = Buffer.from(name, 'utf-8');
      const v = Buffer.from(value, 'utf-8');
      const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
      h.writeUInt8(n.length, 0);
      n.copy(h, 1);
      h.writeUInt8(7, 1 + n.length); // 7 = string
      h.writeUInt16BE(v.length, 2 + n.length);
      v.copy(h, 4 + n.length);
      return h;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload), 'utf-8');
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(zlib.crc32(prelude), 0);
  const withoutCrc = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(zlib.crc32(withoutCrc), 0);
  return Buffer.concat([withoutCrc, messageCrc]);
}

/** A valid PNG image of `size` x `size` pixels in one colour (8-bit RGB). */
export function solidPng(size: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length, 0);
    const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typeAndData), 0);
    return Buffer.concat([len, typeAndData, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3).map((_, i) => rgb[i % 3])]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
