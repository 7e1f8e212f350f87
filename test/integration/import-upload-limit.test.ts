import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../src/cli/api-client.js';
import type { Switchboard } from '../../src/main.js';
import { startTestApp, TEST_ADMIN_TOKEN, testSettings, uniqueDbName } from '../support/test-app.js';

// The real upload route past security.maxImportBytes, through the CLI's streaming client: the
// 413 and its reason must reach the client every time, never "cannot reach the server" (EPIPE).
// Tried: a file 3× the limit, sent five times in a row.

const LIMIT = 1_048_576;
let app: Switchboard;
let dir: string;

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('upload_limit'), settings: testSettings({ security: { maxImportBytes: LIMIT } }) });
  dir = mkdtempSync(join(tmpdir(), 'sb-upload-limit-'));
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('an upload past the limit', () => {
  it('is answered 413 with the reason, read by the client while it is still sending', async () => {
    const path = join(dir, 'huge.csv');
    writeFileSync(path, `Name\n${'Kim Minjun\n'.repeat(Math.ceil((3 * LIMIT) / 11))}`);
    const size = statSync(path).size;
    const client = new ApiClient({ url: app.url, token: TEST_ADMIN_TOKEN, tokenSource: 'test' });
    for (let i = 0; i < 5; i++) {
      const error = await client.upload('/api/imports/files?name=huge.csv', { path, size, contentType: 'text/csv' }, z.unknown()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
    }
  });
});
