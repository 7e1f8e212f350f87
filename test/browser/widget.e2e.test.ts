import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Switchboard } from '../../src/main.js';
import { launchBrowser } from '../support/browser.js';
import { CuttableProxy } from '../support/cuttable-proxy.js';
import { api, startTestApp, uniqueDbName, waitFor } from '../support/test-app.js';

let app: Switchboard;
let proxy: CuttableProxy;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let page: Page;

const messages = () => page.getByTestId('sb-message');
const bubble = (text: string) => messages().filter({ hasText: text });

async function type(text: string) {
  await page.getByTestId('sb-input').fill(text);
  await page.getByTestId('sb-send').click();
}

async function conversationId(): Promise<string> {
  const list = await api(app, 'GET', '/api/conversations?inboxId=website');
  return list.body?.data[0].id as string;
}

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('browser') });
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
});
