/**
 * Spaces sends to one chat at least `spacingMs` apart (Telegram allows about one message per
 * second per chat), in arrival order. Sends to different chats do not wait for each other.
 * Nothing is dropped: a failed send frees the slot for the next one.
 */
export class TelegramPacer {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly spacingMs = 1_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Runs `send` once every earlier send to `chatId` finished and the spacing has passed. */
  run<T>(chatId: string, send: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const result = previous.then(async () => {
      const wait = (this.lastAt.get(chatId) ?? -Infinity) + this.spacingMs - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        return await send();
      } finally {
        this.lastAt.set(chatId, this.now());
      }
    });
    const tail = result.catch(() => undefined);
    this.tails.set(chatId, tail);
    void tail.then(() => {
      if (this.tails.get(chatId) !== tail) return;
      this.tails.delete(chatId);
      // Forget the chat once its spacing has passed, so the map holds only active chats.
      setTimeout(() => {
        if (!this.tails.has(chatId)) this.lastAt.delete(chatId);
      }, this.spacingMs).unref();
    });
    return result;
  }
}
