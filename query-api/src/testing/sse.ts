/** Test-only reader of a Server-Sent Events response body (what the UI does with fetch + a stream reader). */

export interface SseMessage {
  event: string | null;
  data: string | null;
  comment: string | null;
}

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';

  constructor(response: Response) {
    if (!response.body) throw new Error('response has no body');
    this.#reader = response.body.getReader();
  }

  /** The next message (event or comment block), or null when the stream ended. */
  async next(): Promise<SseMessage | null> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return parse(block);
      }
      const { value, done } = await this.#reader.read();
      if (done) return null;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /**
   * Skips messages until one matches. Heartbeats never end a feed, so the skipping is bounded: past
   * `maxMessages` the expected message is taken as never coming.
   */
  async until(match: (message: SseMessage) => boolean, maxMessages = 200): Promise<SseMessage> {
    for (let i = 0; i < maxMessages; i++) {
      const message = await this.next();
      if (!message) throw new Error('stream ended before the expected message');
      if (match(message)) return message;
    }
    throw new Error(`no expected message among ${maxMessages}`);
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}

function parse(block: string): SseMessage {
  const message: SseMessage = { event: null, data: null, comment: null };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) message.comment = line.slice(1).trim();
    else if (line.startsWith('event:')) message.event = line.slice(6).trim();
    else if (line.startsWith('data:'))
      message.data = (message.data === null ? '' : `${message.data}\n`) + line.slice(5).trim();
  }
  return message;
}
