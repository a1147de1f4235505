import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import { io, Socket } from 'socket.io-client';
import { callAs } from './local-stack';
import { sleep } from './processes';

const REQUEST_TIMEOUT_MS = 60_000;

/** The answer events a chat's socket receives: `chat:completion` (done or error), errors and cancellations. */
const ANSWER_EVENTS = ['chat:completion', 'chat:message:error', 'chat:tasks:cancel'];

/**
 * A browser's socket to one Open WebUI task (socket.io at `/ws/socket.io`, the session token as
 * its auth), and the chats it starts as the browser does: Open WebUI answers the request at once
 * and streams the answer as events to every socket of the user, on whichever task they sit.
 */
export class BrowserSocket {
  public static async open(base: string, token: string): Promise<BrowserSocket> {
    const socket = io(base, { path: '/ws/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, timeout: 10_000 });
    const browser = new BrowserSocket(socket, token);
    socket.on('events', (e) => {
      browser.events.push(e);
      browser.arrivals.push(performance.now());
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return browser;
  }

  /** Every `events` message received, in order. */
  public readonly events: any[] = [];
  /** When each of `events` arrived (`performance.now()`). */
  private readonly arrivals: number[] = [];

  private constructor(public readonly socket: Socket, private readonly token: string) {}

  /**
   * Sends a new chat's first message through `base` with this socket as the session. With
   * `backgroundTasks` it also asks, as the browser does for a new chat, for a title, tags and
   * follow-up suggestions.
   */
  public async startChat(
    base: string, content: string, options: { model?: string; backgroundTasks?: boolean } = {},
  ): Promise<{ chatId: string; messageId: string }> {
    return this.send(base, content, options);
  }

  /**
   * Sends a message as the browser does: a new chat's first message, or with `chatId`, `parentId`
   * (the last answer's message id) and `history` (the chat's earlier messages) the next message of
   * a saved chat. `files` are the ids of the user's uploaded files to answer from.
   */
  public async send(base: string, content: string, options: {
    model?: string; backgroundTasks?: boolean; chatId?: string; parentId?: string; history?: { role: string; content: string }[]; files?: string[];
  } = {}): Promise<{ chatId: string; messageId: string }> {
    const userMessageId = randomUUID();
    const messageId = randomUUID();
    const parentId = options.parentId ?? null;
    const res = await callAs(base, this.token, '/api/chat/completions', {
      model: options.model ?? 'claude-haiku-4.5',
      stream: true,
      ...(options.backgroundTasks ? { background_tasks: { title_generation: true, tags_generation: true, follow_up_generation: true } } : {}),
      ...(options.chatId ? { chat_id: options.chatId } : {}),
      ...(options.files ? { files: options.files.map((id) => ({ type: 'file', id })) } : {}),
      parent_id: parentId,
      id: messageId,
      session_id: this.socket.id,
      user_message: { id: userMessageId, parentId, childrenIds: [], role: 'user', content, timestamp: Math.floor(Date.now() / 1000) },
      messages: [...(options.history ?? []), { role: 'user', content }],
    }, REQUEST_TIMEOUT_MS);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${res.url}: ${text}`);
    return { chatId: JSON.parse(text).chat_id ?? options.chatId, messageId };
  }

  /** When the first streamed words of an answer (`response:completion`, a delta) arrived (`performance.now()`), if they have. */
  public firstWordsAt(messageId: string): number | undefined {
    const i = this.events.findIndex((e) => e.message_id === messageId && e.data?.type === 'response:completion');
    return i < 0 ? undefined : this.arrivals[i];
  }

  /** The answer events of one message. */
  public answerEvents(messageId: string): any[] {
    return this.events.filter((e) => e.message_id === messageId && ANSWER_EVENTS.includes(e.data?.type));
  }

  /** Waits up to `timeoutMs` for the answer's last event: done, an error or a cancellation. */
  public async answerEnd(messageId: string, timeoutMs: number): Promise<any | undefined> {
    const isEnd = (e: any) => e.data.type !== 'chat:completion' || e.data.data?.done === true || e.data.data?.error !== undefined;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.answerEvents(messageId).find(isEnd);
      if (end || Date.now() >= deadline) return end;
      await sleep(200);
    }
  }

  /**
   * Waits up to `timeoutMs` for `firstWord` in the streamed deltas of an answer
   * (`response:completion`), and checks that the answer has not ended yet.
   */
  public async answerStarted(messageId: string, firstWord: string, timeoutMs: number): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
      const deltas = this.events.filter((e) => e.message_id === messageId && e.data?.type === 'response:completion');
      if (deltas.some((e) => JSON.stringify(e.data.data ?? {}).includes(firstWord))) {
        if (await this.answerEnd(messageId, 0)) throw new Error(`the answer ${messageId} ended before the test could interrupt it`);
        return;
      }
    }
    throw new Error(`no streamed words of ${messageId} within ${timeoutMs} ms`);
  }

  public close(): void {
    this.socket.disconnect();
  }
}
