import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Connection } from './cli-connection.js';
import { CliError } from './cli-errors.js';

/** An error answer of the API: `{ error: { code, message, details? } }` (src/http/http-errors.ts). */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE']);

/** A file on disk to send as the request body. */
export interface UploadSource {
  path: string;
  size: number;
  contentType: string;
}

/** Bytes of a transfer so far and in all (total 0 when unknown). */
export type TransferProgress = (done: number, total: number) => void;

function countingStream(total: number, onProgress?: TransferProgress): Transform {
  let done = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      onProgress?.(done, total);
      callback(null, chunk);
    },
  });
}

/** Reads a whole response body as text. */
async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The Switchboard REST API as the CLI uses it: JSON calls, a streamed upload and streamed
 * downloads. Every failure becomes a CliError with one line to show; the token never appears in one.
 */
export class ApiClient {
  constructor(private readonly connection: Connection) {}

  private urlOf(path: string): URL {
    return new URL(path, `${this.connection.url}/`);
  }

  private unreachable(err: unknown): CliError {
    const cause = (err as { cause?: { code?: string } }).cause;
    const code = (err as NodeJS.ErrnoException).code ?? cause?.code;
    if (code && UNREACHABLE.has(code)) return new CliError(`cannot reach Switchboard at ${this.connection.url}: is \`npm start\` running? (${code})`);
    return new CliError(`request to Switchboard at ${this.connection.url} failed: ${(err as Error).message}`);
  }

  /** Turns a non-2xx answer into an ApiError with the server's own code and message. */
  private failure(status: number, text: string, path: string): ApiError {
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not an API error body (a proxy's HTML page, an old server): described by status below.
    }
    const parsed = ErrorBodySchema.safeParse(json);
    if (!parsed.success) return new ApiError(status, `http_${status}`, `${path}: the server answered ${status} ${text.slice(0, 200).replace(/\s+/g, ' ').trim()}`);
    const { code, message, details } = parsed.data.error;
    const hint = status === 401 ? ` (the token from ${this.connection.tokenSource} was refused)` : '';
    return new ApiError(status, code, `${message} [${code}]${hint}`, details);
  }

  private async fetchOk(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.urlOf(path), { ...init, headers: { authorization: `Bearer ${this.connection.token}`, ...(init.headers as Record<string, string> | undefined) } });
    } catch (err) {
      throw this.unreachable(err);
    }
    if (!res.ok) throw this.failure(res.status, await res.text().catch(() => ''), path);
    return res;
  }

  /** A JSON request; the answer is checked against `schema`. */
  async json<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const res = await this.fetchOk(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new CliError(`${method} ${path}: unexpected answer from the server (${parsed.error.issues[0]?.message ?? 'invalid'}); are the CLI and the server the same version?`);
    return parsed.data;
  }

  /**
   * Streams a file as the raw request body (node:http rather than fetch, so an early answer such as
   * 413 is read even while the file is still being sent) and checks the JSON answer.
   */
  async upload<S extends z.ZodType>(path: string, source: UploadSource, schema: S, onProgress?: TransferProgress): Promise<z.infer<S>> {
    const url = this.urlOf(path);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolvePromise, reject) => {
      const file = createReadStream(source.path);
      const req = send(url, { method: 'POST', headers: { authorization: `Bearer ${this.connection.token}`, 'content-type': source.contentType, 'content-length': String(source.size) } });
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        if (!file.readableEnded) file.unpipe().destroy();
        readText(res).then((body) => {
          req.destroy();
          resolvePromise({ status: res.statusCode ?? 0, text: body });
        }, reject);
      });
      req.on('error', (err) => {
        if (!answered) reject(this.unreachable(err));
      });
      file.on('error', (err) => {
        req.destroy();
        reject(new CliError(`cannot read ${source.path}: ${err.message}`));
      });
      file.pipe(countingStream(source.size, onProgress)).pipe(req);
    });
    if (status < 200 || status >= 300) throw this.failure(status, text, path);
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new CliError(`POST ${path}: unexpected answer from the server (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return parsed.data;
  }

  /**
   * Streams a GET answer into `dest` through a temporary file renamed at the end, so a failed
   * download never leaves a half-written file under the final name. Returns the bytes written.
   */
  async download(path: string, dest: string, onProgress?: TransferProgress): Promise<number> {
    const res = await this.fetchOk(path);
    if (!res.body) throw new CliError(`GET ${path}: the server sent no body`);
    const total = Number(res.headers.get('content-length') ?? 0) || 0;
    const partial = `${dest}.part`;
    let bytes = 0;
    try {
      await pipeline(
        Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
        countingStream(total, (done, all) => {
          bytes = done;
          onProgress?.(done, all);
        }),
        createWriteStream(partial),
      );
      await rename(partial, dest);
    } catch (err) {
      await rm(partial, { force: true });
      if (err instanceof CliError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code?.startsWith('E') && !UNREACHABLE.has(code)) throw new CliError(`cannot write ${dest}: ${(err as Error).message}`);
      throw new CliError(`the download of ${path} broke off: ${(err as Error).message}`);
    }
    return bytes;
  }
}
