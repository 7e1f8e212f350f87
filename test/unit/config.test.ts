import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv, parseSettings } from '../../src/config/load-config.js';

describe('environment', () => {
  it('uses defaults for unset and empty variables', () => {
    const env = parseEnv({ PORT: '', MONGODB_URI: undefined });
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', MONGODB_DB: 'switchboard', LOG_LEVEL: 'info' });
    expect(env.MONGODB_URI).toBeUndefined();
  });

  it('names each wrong variable and how to fix it', () => {
    const attempt = () => parseEnv({ PORT: 'eighty', MONGODB_URI: 'postgres://x', ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/PORT: .*set it to a TCP port/);
    expect(message).toMatch(/MONGODB_URI: must start with mongodb:\/\/.*unset it to use the embedded database/);
    expect(message).toMatch(/ADMIN_TOKEN: must be at least 24 characters/);
    expect(message).toMatch(/LOG_LEVEL: .*use one of/);
  });
});

describe('settings file', () => {
  it('loads the shipped config/switchboard.json', () => {
    const config = loadConfig({}, process.cwd());
    expect(config.settings.inboxes.some((i) => i.channel === 'webchat')).toBe(true);
  });

  it('reports every bad field with its path', () => {
    const bad = { inboxes: [{ id: 'Web Site', channel: 'webchat', name: 'x' }, { id: 'tg', channel: 'pigeon', name: 'y' }], delivery: { maxAttempts: 0 } };
    expect(() => parseSettings(bad, 'config/x.json')).toThrow(/inboxes\.0\.id[\s\S]*inboxes\.1\.channel[\s\S]*delivery\.maxAttempts/);
    expect(() => parseSettings({ inboxes: [{ id: 'a', channel: 'webchat', name: 'A' }, { id: 'a', channel: 'webchat', name: 'B' }] }, 'f')).toThrow(/duplicate inbox id "a"/);
  });

  it('says which file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'missing.json' }, dir)).toThrow(/Cannot read settings file .*missing\.json/);
    writeFileSync(join(dir, 'broken.json'), '{ "inboxes": [');
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'broken.json' }, dir)).toThrow(/broken\.json is not valid JSON/);
  });
});
