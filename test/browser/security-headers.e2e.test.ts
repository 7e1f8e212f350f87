import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import type { Switchboard } from '../../src/main.js';
import { launchBrowser } from '../support/browser.js';
import { startTestApp, uniqueDbName } from '../support/test-app.js';

/**
 * The security headers (CSP, Cross-Origin-Resource-Policy) in a real Chromium: our demo page
 * runs with no CSP violation, and a site on another origin can still embed the widget.
 */

let app: Switchboard;
let site: Server;
let siteUrl: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;

/** Records every CSP violation a page reports, before any of its scripts run (browser code, so a string: no DOM types here). */
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
`;

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('csp') });
  // "Another company's site": a different origin (localhost, not 127.0.0.1) embedding the widget.
  site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>Other site</title><p>Hello</p><script src="${app.url}/webchat/widget.js" data-inbox="website" async></script>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  context = browser.context;
  await context.addInitScript({ content: RECORD_VIOLATIONS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await app?.store.connection.dropDatabase();
  await app?.stop();
});

const violations = (page: import('playwright-core').Page) => page.evaluate(() => (globalThis as { __cspViolations?: string[] }).__cspViolations ?? []);

describe('security headers in Chromium', () => {
  it('the demo page runs under its CSP: the inline "Get a free quote" handler opens the widget, which connects', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/webchat/demo`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('Get a free quote').click();
    await expect.poll(() => page.getByTestId('sb-launcher').getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => page.getByTestId('sb-status').getAttribute('data-state')).toBe('connected');
    expect(await violations(page)).toEqual([]);
    // An inline handler we did not allow by hash is still blocked.
    await page.evaluate(`{
      const b = document.createElement('button');
      b.id = 'evil';
      b.setAttribute('onclick', 'window.__ran = 1');
      document.body.append(b);
    }`);
    await page.click('#evil');
    expect(await page.evaluate(() => (globalThis as { __ran?: number }).__ran)).toBeUndefined();
    await expect.poll(() => violations(page)).toEqual([expect.stringContaining('script-src-attr')]);
    await page.close();
  });

  it('another origin loads widget.js (Cross-Origin-Resource-Policy: cross-origin) and chats over the socket', async () => {
    const page = await context.newPage();
    await page.goto(siteUrl);
    await page.getByTestId('sb-launcher').click();
    await expect.poll(() => page.getByTestId('sb-status').getAttribute('data-state')).toBe('connected');
    await page.close();
  });
});
