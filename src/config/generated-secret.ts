import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A secret as start-up resolved it, and the file it lives in when it was generated. */
export interface ResolvedSecret {
  value: string;
  file?: string;
}

/**
 * A secret from its variable when set; otherwise one generated on first start and kept in
 * `<dataDir>/<fileName>` (mode 0600), so a fresh install works without configuration and the
 * secret survives restarts. Production refuses to start without the variable (env-secrets.ts),
 * so generation only happens in development and tests.
 */
export function resolveGeneratedSecret(fileName: string, configured: string | undefined, dataDir: string, bytes: number): ResolvedSecret {
  if (configured) return { value: configured };
  const file = join(dataDir, fileName);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= bytes) return { value: existing, file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(bytes).toString('hex');
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, file };
}
