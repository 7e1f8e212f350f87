import { describe, expect, it } from 'vitest';
import { automationRunKey, automationsFor, formatMoney, renderTemplate, StageAutomationSchema } from '../../src/domain/stage-automation.js';

const invoice = {
  name: 'Send the invoice',
  when: { on: 'enter' },
  actions: [
    { type: 'send_message', text: 'Invoice for {deal.title} ({deal.number}): {deal.amount}. Pay to {payment.details}' },
    { type: 'create_task', title: 'Issue invoice for deal {deal.number}', assignee: { email: 'acc@acme.test' }, dueInMinutes: 60 },
  ],
};

describe('stage automations', () => {
  it('parses a realistic automation with defaults', () => {
    const parsed = StageAutomationSchema.parse(invoice);
    expect(parsed.actions[0]).toMatchObject({ type: 'send_message', delayMinutes: 0 });
    expect(parsed.actions[1]).toMatchObject({ type: 'create_task', taskType: 'todo', assignee: { email: 'acc@acme.test' } });
  });

  it.each([
    [{ ...invoice, actions: [] }, 'actions'],
    [{ ...invoice, actions: [{ type: 'launch_rocket' }] }, 'actions.0.type'],
    [{ ...invoice, actions: [{ type: 'webhook', url: 'ftp://x.test/' }] }, 'actions.0.url'],
    [{ ...invoice, actions: [{ type: 'set_field', field: 'ownerId', value: 'x' }] }, 'actions.0.field'],
    [{ ...invoice, actions: [{ type: 'send_message', text: 'hi', colour: 'red' }] }, 'actions.0'],
    [{ ...invoice, when: { on: 'idle' } }, 'when.idleDays'],
  ])('rejects %j at %s', (bad, path) => {
    const result = StageAutomationSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('fills templates, formats money by currency and keeps unknown placeholders visible', () => {
    const text = renderTemplate('Invoice {deal.number} for {contact.name}: {deal.amount}. {deal.colour}', {
      deal: { number: 42, title: 'Flat in Mapo', amountMinor: 129_000, currency: 'USD', stage: 'Awaiting payment' },
      contact: { name: 'Ann' },
    });
    expect(text).toBe('Invoice #42 for Ann: $1,290.00. {deal.colour}');
    expect(formatMoney(1_290_000, 'KRW', 'ko')).toBe('₩1,290,000');
    expect(formatMoney(5, 'EUR', 'en')).toBe('€0.05');
  });

  it('gives each action one run key per deal and stage, whatever the attempt', () => {
    const enter = { on: 'enter' as const };
    expect(automationRunKey('d1', 'awaiting-payment', 0, 1, enter)).toBe('d1:awaiting-payment:0:1');
    expect(automationRunKey('d1', 'awaiting-payment', 0, 1, enter)).toBe(automationRunKey('d1', 'awaiting-payment', 0, 1, enter));
    expect(automationRunKey('d1', 'proposal', 0, 1, { on: 'client_wrote' }, 'm77')).toBe('d1:proposal:0:1:client_wrote:m77');
  });

  it('selects the automations a trigger starts, keeping their positions', () => {
    const list = [StageAutomationSchema.parse(invoice), StageAutomationSchema.parse({ name: 'Nudge', when: { on: 'idle', idleDays: 3 }, actions: [{ type: 'notify_desk', text: 'Quiet deal {deal.number}' }] })];
    expect(automationsFor(list, 'idle').map((a) => a.index)).toEqual([1]);
    expect(automationsFor(list, 'client_wrote')).toEqual([]);
  });
});
