import type { Request, Response } from 'express';

/** How long a refused upload's remaining bytes are read and dropped before the connection is cut. */
const LINGER_MS = 5_000;

/**
 * Answers `status` with `body` to a request whose body was not (fully) read — an upload past its
 * limit — and keeps reading and dropping what the client still sends for a few seconds before
 * cutting the connection. Closing at once made the client's next write fail (EPIPE) before it
 * had read the answer, so it reported "cannot reach the server" instead of the reason; a client
 * that reads the answer stops sending on its own.
 */
export function refuseUnreadBody(req: Request, res: Response, status: number, body: unknown): void {
  const socket = req.socket;
  res.status(status).json(body);
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  req.on('end', () => clearTimeout(cut));
  req.on('close', () => clearTimeout(cut));
  req.resume();
}
