import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Switchboard } from '../../src/main.js';
import { launchBrowser } from '../support/browser.js';
import { CuttableProxy } from '../support/cuttable-proxy.js';
import { identityHash } from '../../channels/webchat/visitor-identity.js';
import { api, startTestApp, testSettings, uniqueDbName, waitFor } from '../support/test-app.js';

/** The secret the demo site signs its users' ids with. */
const SITE_SECRET = 'demo-site-identity-secret-0123456789';

let app: Switchboard;
let proxy: CuttableProxy;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let page: Page;

const messages = () => page.getByTestId('sb-message');
const bubble = (text: string) => messages().filter({ hasText: text });

/** The page's globals used below (page.evaluate runs in the browser; the tests' TS has no DOM types). */
type PageGlobals = { localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } };

async function type(text: string) {
  await page.getByTestId('sb-input').fill(text);
  await page.getByTestId('sb-send').click();
}

async function conversationId(): Promise<string> {
  const list = await api(app, 'GET', '/api/conversations?inboxId=website');
  return list.body?.data[0].id as string;
}

beforeAll(async () => {
  app = await startTestApp({
    dbName: uniqueDbName('browser'),
    env: { WEBSITE_IDENTITY_SECRET: SITE_SECRET },
    settings: testSettings({
      inboxes: [
        { id: 'website', channel: 'webchat', name: 'Website', webchat: { preChatForm: { enabled: true, required: false }, identityVerification: { secretEnv: 'WEBSITE_IDENTITY_SECRET' } } },
        { id: 'tg', channel: 'telegram', name: 'Telegram (test adapter)' },
      ],
    }),
  });
  proxy = await CuttableProxy.start(Number(new URL(app.url).port));
  browser = await launchBrowser();
  context = browser.context;
  page = await context.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await app?.store.connection.dropDatabase();
  await app?.stop();
});

describe('web chat widget in Chromium', () => {
  it('sends a message from the demo page and shows a manager reply live', async () => {
    await page.goto(`${proxy.url}/webchat/demo?utm_source=newsletter&utm_campaign=nov`);
    await page.getByTestId('sb-launcher').click();
    await expect.poll(() => page.getByTestId('sb-status').getAttribute('data-state')).toBe('connected');
    await page.getByTestId('sb-prechat-skip').click();
    await type('Hello, do you fit windows on Saturdays?');
    await expect.poll(() => bubble('Saturdays').getAttribute('data-state')).toBe('sent');

    const id = await conversationId();
    const contact = await app.store.contacts.findById((await app.store.conversations.findById(id).lean())?.contactId).lean();
    expect(contact?.source).toMatchObject({ channel: 'webchat', utm: { source: 'newsletter', campaign: 'nov' } });
    expect(contact?.source?.url).toContain('/webchat/demo');

    const reply = await api(app, 'POST', `/api/conversations/${id}/messages`, { text: 'Yes — 9 to 3 on Saturdays.', authorName: 'Kim' });
    expect(reply.status).toBe(202);
    await expect.poll(() => bubble('9 to 3').getAttribute('data-direction'), { timeout: 3_000 }).toBe('outbound');
  });

  it('keeps the conversation after a reload', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('sb-status').getAttribute('data-state')).toBe('connected');
    await expect.poll(() => messages().allTextContents()).toEqual([
      expect.stringContaining('Saturdays?'),
      expect.stringContaining('9 to 3 on Saturdays.'),
    ]);
    expect(await app.store.conversations.countDocuments({ inboxId: 'website' })).toBe(1);
  });

  it('re-sends what was typed while the network was down, once', async () => {
    proxy.cut();
    await expect.poll(() => page.getByTestId('sb-status').getAttribute('data-state')).not.toBe('connected');
    await type('Typed while offline');
    await page.waitForTimeout(500);
    expect(await bubble('Typed while offline').getAttribute('data-state')).toBe('sending');
    expect(await app.store.messages.countDocuments({ text: 'Typed while offline' })).toBe(0);
    proxy.restore();
    await expect.poll(() => bubble('Typed while offline').getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await page.waitForTimeout(500);
    expect(await app.store.messages.countDocuments({ text: 'Typed while offline' })).toBe(1);
    expect(await bubble('Typed while offline').count()).toBe(1);
  });

  it('renders text from both sides as text, never as HTML', async () => {
    const attack = '<img src=x onerror="window.__pwned=1"><b>bold?</b>';
    await type(attack);
    await expect.poll(() => bubble('bold?').getAttribute('data-state')).toBe('sent');
    await api(app, 'POST', `/api/conversations/${await conversationId()}/messages`, { text: '<script>window.__pwned=2</script><i>reply</i>' });
    await expect.poll(() => bubble('<i>reply</i>').count(), { timeout: 3_000 }).toBe(1);
    expect(await bubble('bold?').textContent()).toContain(attack);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#switchboard-widget img, #switchboard-widget b, #switchboard-widget script').count()).toBe(0);
    await waitFor(() => app.store.messages.findOne({ text: attack }).lean(), 2_000, 'the raw text to be stored');
  });

  it('drops a stored token the server refuses and starts a new session', async () => {
    const forged = `v1.${'A'.repeat(43)}.${'B'.repeat(43)}`;
    await page.evaluate((token) => (globalThis as unknown as PageGlobals).localStorage.setItem('switchboard:website:token', token), forged);
    await page.reload();
    await expect.poll(() => page.getByTestId('sb-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
    const stored = await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('switchboard:website:token'));
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toBe(forged);
    expect(await messages().count()).toBe(0);
  });

  it('follows a signed-in user to another browser, and ignores a wrong signature', async () => {
    const userId = 'site-user-5150';
    const signIn = (p: Page, userHash: string) => p.evaluate(([id, hash]) => (globalThis as unknown as { SwitchboardWidget: { identify(i: object): void } }).SwitchboardWidget.identify({ userId: id, userHash: hash, name: 'Grace Hopper', email: 'grace@example.com' }), [userId, userHash] as const);
    const devices = await Promise.all([launchBrowser(), launchBrowser(), launchBrowser()]);
    try {
      const [laptop, phone, intruder] = await Promise.all(devices.map((d) => d.context.newPage()));
      for (const p of [laptop, phone, intruder]) {
        await p!.goto(`${proxy.url}/webchat/demo`);
        await p!.getByTestId('sb-launcher').click();
      }
      await signIn(laptop!, identityHash(SITE_SECRET, userId));
      await expect.poll(() => laptop!.getByTestId('sb-status').getAttribute('data-state')).toBe('connected');
      // A verified user with a name and email is not asked for them again.
      expect(await laptop!.getByTestId('sb-prechat').isHidden()).toBe(true);
      await laptop!.getByTestId('sb-input').fill('Signed in on the laptop');
      await laptop!.getByTestId('sb-send').click();
      await expect.poll(() => laptop!.getByTestId('sb-message').filter({ hasText: 'laptop' }).getAttribute('data-state')).toBe('sent');

      await signIn(phone!, identityHash(SITE_SECRET, userId));
      await expect.poll(() => phone!.getByTestId('sb-message').filter({ hasText: 'Signed in on the laptop' }).count(), { timeout: 5_000 }).toBe(1);

      const errors: string[] = [];
      intruder!.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await signIn(intruder!, identityHash('not-the-site-secret-0000000000', userId));
      await expect.poll(() => errors.join('\n'), { timeout: 5_000 }).toMatch(/identity was not accepted/);
      // The widget chats on anonymously; nothing of the signed-in user's conversation shows.
      await expect.poll(() => intruder!.getByTestId('sb-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
      expect(await intruder!.getByTestId('sb-message').count()).toBe(0);
    } finally {
      await Promise.all(devices.map((d) => d.close()));
    }
  }, 60_000);
});
