import { describe, expect, it } from 'vitest';
import { discordFileHosts, downloadDiscordFile } from '../../channels/discord/discord-files.js';
import { createLogger } from '../../src/logger.js';
import type { Store } from '../../src/store/store.js';

describe('Discord file downloads', () => {
  const deps = { store: {} as Store, logger: createLogger('silent'), fileHosts: discordFileHosts('http://127.0.0.1:4567/api') };

  it('fetch only from Discord\'s CDN or the configured stand-in', () => {
    expect([...deps.fileHosts]).toEqual(['cdn.discordapp.com', 'media.discordapp.net', '127.0.0.1:4567']);
  });

  it('never fetch a URL on another host (the message keeps a note that the file is missing)', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://127.0.0.1:27017/', 'file:///etc/passwd']) {
      const kept = await downloadDiscordFile(deps, { url, name: 'x.txt', contentType: 'text/plain', size: 10 });
      expect(kept).toEqual({ name: 'x.txt (could not be downloaded)', contentType: 'text/plain', size: 0 });
    }
  });
});
