import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAdminToken, resolveWidgetSecret } from '../../src/config/admin-token.js';

describe('the widget secret, generated like the admin token', () => {
  it('uses WIDGET_SECRET when set and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-secret-'));
    expect(resolveWidgetSecret('configured-widget-secret-0123456789abcdef', dir)).toEqual({ secret: 'configured-widget-secret-0123456789abcdef' });
    expect(() => statSync(join(dir, 'widget-secret'))).toThrow();
  });

  it('generates one into DATA_DIR/widget-secret (0600) on first start and keeps it across restarts', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sb-secret-')), 'data');
    const first = resolveWidgetSecret(undefined, dir);
    expect(first.file).toBe(join(dir, 'widget-secret'));
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'widget-secret')).mode & 0o777).toBe(0o600);
    expect(resolveWidgetSecret(undefined, dir)).toEqual(first);
    // The admin token shares the code but not the file or the value.
    const admin = resolveAdminToken(undefined, dir);
    expect(admin.file).toBe(join(dir, 'admin-token'));
    expect(admin.token).not.toBe(first.secret);
    expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(admin.token);
  });
});
