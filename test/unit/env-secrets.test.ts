import { describe, expect, it } from 'vitest';
import { productionSecretProblems } from '../../src/config/env-secrets.js';
import { ConfigError, parseEnv } from '../../src/config/load-config.js';

/** Secrets that pass every production rule (random-looking, long enough). */
const GOOD = {
  ADMIN_TOKEN: 'f3a9c1d27be84e0a9d5c6b7e8f901a2b3c4d5e6f',
  WIDGET_SECRET: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807',
};

function refusal(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected start-up to be refused');
}

describe('NODE_ENV and the secrets start-up refuses outside development', () => {
  it('defaults to development, where a missing ADMIN_TOKEN is generated later and nothing is required', () => {
    expect(parseEnv({}).NODE_ENV).toBe('development');
    expect(parseEnv({ NODE_ENV: 'test' }).NODE_ENV).toBe('test');
    expect(refusal({ NODE_ENV: 'staging' })).toMatch(/NODE_ENV: .*— use development/);
  });

  it('production requires ADMIN_TOKEN and WIDGET_SECRET, naming each and how to fix it', () => {
    const message = refusal({ NODE_ENV: 'production' });
    expect(message).toMatch(/ADMIN_TOKEN: is required when NODE_ENV is production .*— set it to a random string of 24\+ characters \(openssl rand -hex 24\)/);
    expect(message).toMatch(/WIDGET_SECRET: is required/);
    // An empty value is the same as unset: refused, not generated.
    expect(refusal({ NODE_ENV: 'production', ADMIN_TOKEN: '', WIDGET_SECRET: GOOD.WIDGET_SECRET })).toMatch(/ADMIN_TOKEN: is required/);
    // The rules on the parsed values (WIDGET_SECRET's schema entry belongs to the widget's visitor tokens).
    expect(productionSecretProblems({ NODE_ENV: 'production', ...GOOD })).toEqual([]);
    expect(productionSecretProblems({ NODE_ENV: 'production', ADMIN_TOKEN: GOOD.ADMIN_TOKEN })).toEqual([{ name: 'WIDGET_SECRET', message: expect.stringContaining('is required') }]);
  });

  it('production refuses example, short, repeated and blank secrets; tried one of each per variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ADMIN_TOKEN: 'changeme-changeme-changeme' }, /ADMIN_TOKEN: is a placeholder/],
      [{ ADMIN_TOKEN: 'your-admin-token-goes-here-please' }, /ADMIN_TOKEN: is a placeholder/],
      [{ ADMIN_TOKEN: 'a'.repeat(48) }, /ADMIN_TOKEN: is a repeated pattern/],
      [{ ADMIN_TOKEN: 'abcd'.repeat(8) }, /ADMIN_TOKEN: is a repeated pattern/],
      [{ SLACK_BOT_TOKEN: 'xoxb-...' }, /SLACK_BOT_TOKEN/],
      [{ SLACK_SIGNING_SECRET: '0000000000000000000000000000' }, /SLACK_SIGNING_SECRET: is a repeated pattern/],
      [{ TELEGRAM_BOT_TOKEN: '123456:ABC-...' }, /TELEGRAM_BOT_TOKEN/],
      [{ TELEGRAM_WEBHOOK_SECRET: 'example-webhook-secret-1234' }, /TELEGRAM_WEBHOOK_SECRET: is a placeholder/],
    ];
    for (const [vars, expected] of cases) expect(refusal({ NODE_ENV: 'production', ...GOOD, ...vars }), JSON.stringify(vars)).toMatch(expected);
    const widget = (value: string) => productionSecretProblems({ NODE_ENV: 'production', ...GOOD, WIDGET_SECRET: value }).map((p) => `${p.name}: ${p.message}`);
    expect(widget('f3a9c1d27be84e0a9d5c')).toEqual([expect.stringMatching(/^WIDGET_SECRET: is shorter than 32 characters/)]);
    expect(widget(' '.repeat(40))).toEqual([expect.stringMatching(/^WIDGET_SECRET: is empty/)]);
    expect(widget('replace-me-with-a-long-random-secret-0123')).toEqual([expect.stringMatching(/^WIDGET_SECRET: is a placeholder/)]);
  });

  it('the same values are accepted in development (a local run keeps working)', () => {
    expect(parseEnv({ ADMIN_TOKEN: 'changeme-changeme-changeme', SLACK_SIGNING_SECRET: '0000000000000000000000000000' }).ADMIN_TOKEN).toBe('changeme-changeme-changeme');
  });
});
