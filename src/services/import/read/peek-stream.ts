import { Readable } from 'node:stream';

/** The first bytes of a stream, and a stream that yields the whole content again from byte 0. */
export interface PeekedStream {
  sample: Buffer;
  /** The sample is the whole content (the stream ended before `size` bytes). */
  complete: boolean;
  /** Replays the sample, then the rest of the input, lazily (the input is read only as this one is). */
  stream: Readable;
}

/**
 * Reads at least `size` bytes (or to the end) from `input` without losing them, so the format can
 * be sniffed and the same bytes parsed afterwards. Nothing beyond the sample is buffered.
 */
export async function peekStream(input: Readable, size: number): Promise<PeekedStream> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const head: Buffer[] = [];
  let length = 0;
  let complete = false;
  while (length < size) {
    const next = await source.next();
    if (next.done) {
      complete = true;
      break;
    }
    const chunk = asBuffer(next.value);
    head.push(chunk);
    length += chunk.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield* head.splice(0);
      if (complete) return;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield asBuffer(next.value);
      }
    } finally {
      // The consumer stopped early (or failed): release the input too.
      await source.return?.();
    }
  }
  return { sample: Buffer.concat(head), complete, stream: Readable.from(replay(), { objectMode: false }) };
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError(`openSheet expects a byte stream, got a ${typeof chunk} chunk`);
}
