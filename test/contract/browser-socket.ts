import { randomUUID } from 'crypto';
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
    socket.on('events', (e) => browser.events.push(e));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return browser;
  }

  /** Every `events` message received, in order. */
  public readonly events: any[] = [];

  private constructor(public readonly socket: Socket, private readonly token: string) {}

  /**
   * Sends a new chat's first message through `base` with this socket as the session. With
   * `backgroundTasks` it also asks, as the browser does for a new chat, for a title, tags and
   * follow-up suggestions.
   */
  public async startChat(
    base: string, content: string, options: { model?: string; backgroundTasks?: boolean } = {},
  ): Promise<{ chatId: string; messageId: string }> {
    const userMessageId = randomUUID();
    const messageId = randomUUID();
    const res = await callAs(base, this.token, '/api/chat/completions', {
      model: options.model ?? 'claude-haiku-4.5',
      stream: true,
      ...(options.backgroundTasks ? { background_tasks: { title_generation: true, tags_generation: true, follow_up_generation: true } } : {}),
      parent_id: null,
      id: messageId,
      session_id: this.socket.id,
      user_message: { id: userMessageId, parentId: null, childrenIds: [], role: 'user', content, timestamp: Math.floor(Date.now() / 1000) },
      messages: [{ role: 'user', content }],
    }, REQUEST_TIMEOUT_MS);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${res.url}: ${text}`);
    return { chatId: JSON.parse(text).chat_id, messageId };
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
