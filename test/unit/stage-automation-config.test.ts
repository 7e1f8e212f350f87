import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CrmSettingsSchema } from '../../src/config/crm.schema.js';
import { parseConfigFile } from '../../src/config/load-config.js';
import { StageAutomationSchema } from '../../src/domain/stage-automation.js';

const shipped = JSON.parse(readFileSync(new URL('../../config/crm.json', import.meta.url), 'utf8')) as Record<string, any>;

/** The shipped config with the automations of its "awaiting-payment" stage replaced. */
function withAutomations(automations: unknown, extra: Record<string, unknown> = {}): unknown {
  const pipeline = shipped.pipelines[0];
  const stages = pipeline.stages.map((s: { id: string }) => (s.id === 'awaiting-payment' ? { ...s, automations } : s));
  return { ...shipped, ...extra, pipelines: [{ ...pipeline, stages }] };
}

describe('stage automations in config/crm.json', () => {
  it('ships an "awaiting payment" automation that sends the invoice and tasks a supervisor', () => {
    const crm = CrmSettingsSchema.parse(shipped);
    const stage = crm.pipelines[0]?.stages.find((s) => s.id === 'awaiting-payment');
    expect(stage?.automations[0]?.actions.map((a) => a.type)).toEqual(['send_message', 'create_task']);
    expect(stage?.automations[0]?.actions[1]).toMatchObject({ assignee: { role: 'supervisor' } });
    expect(crm.paymentDetails).toMatch(/IBAN/);
    expect(crm.pipelines[0]?.stages.find((s) => s.id === 'new')?.automations).toEqual([]);
  });

  it('accepts a task for the first user with a role', () => {
    const parsed = StageAutomationSchema.parse({ name: 'Bill', when: { on: 'enter' }, actions: [{ type: 'create_task', title: 'Bill it', assignee: { role: 'supervisor' } }] });
    expect(parsed.actions[0]).toMatchObject({ assignee: { role: 'supervisor' }, dueInMinutes: 1440 });
  });

  it.each([
    [[{ name: 'Bill', when: { on: 'enter' }, actions: [{ type: 'create_task', title: 'x', assignee: { role: '' } }] }], 'actions.0.assignee'],
    [[{ name: 'Nudge', when: { on: 'idle', idleDays: 0 }, actions: [{ type: 'notify_desk', text: 'quiet' }] }], 'when.idleDays'],
    [[{ name: 'Hook', when: { on: 'enter' }, actions: [{ type: 'webhook', url: 'not a url' }] }], 'actions.0.url'],
    [[{ name: 'Late', when: { on: 'enter' }, actions: [{ type: 'send_message', text: 'hi', delayMinutes: -1 }] }], 'actions.0.delayMinutes'],
  ])('rejects a bad automation with the path of the mistake in the message (%#)', (automations, path) => {
    expect(() => parseConfigFile(CrmSettingsSchema, withAutomations(automations), 'config/crm.json')).toThrow(
      new RegExp(`config/crm\\.json[\\s\\S]*pipelines\\.0\\.stages\\.3\\.automations\\.0\\.${path.replace(/\./g, '\\.')}`),
    );
  });

  it('rejects payment details longer than 2000 characters', () => {
    expect(() => parseConfigFile(CrmSettingsSchema, withAutomations([], { paymentDetails: 'x'.repeat(2_001) }), 'config/crm.json')).toThrow(/paymentDetails/);
  });
});
