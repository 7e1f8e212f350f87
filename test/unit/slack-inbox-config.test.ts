import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/config/load-config.js';
import { testConfig, testSettings } from '../support/test-config.js';

const web = { id: 'website', channel: 'webchat', name: 'Website' };

describe('Slack inbox settings', () => {
  it('accepts a Slack inbox with its shared channels', () => {
    const settings = parseSettings({ inboxes: [web, { id: 'b2b', channel: 'slack', name: 'B2B', slack: { channels: ['C0CLIENT1', 'G0PRIVATE'] } }] }, 'f');
    expect(settings.inboxes[1]?.slack?.channels).toEqual(['C0CLIENT1', 'G0PRIVATE']);
  });

  it('requires the channels of a Slack inbox and names the inbox', () => {
    expect(() => parseSettings({ inboxes: [{ id: 'b2b', channel: 'slack', name: 'B2B' }] }, 'config/x.json')).toThrow(/inboxes\.0\.slack: inbox "b2b" is on Slack: add "slack"/);
    expect(() => parseSettings({ inboxes: [{ id: 'b2b', channel: 'slack', name: 'B2B', slack: { channels: [] } }] }, 'f')).toThrow(/inboxes\.0\.slack\.channels: list at least one Slack channel id/);
  });

  it('rejects channel names, a channel in two inboxes and a slack block on another channel', () => {
    expect(() => parseSettings({ inboxes: [{ id: 'b2b', channel: 'slack', name: 'B2B', slack: { channels: ['#general'] } }] }, 'f')).toThrow(/slack\.channels\.0: use a Slack channel id/);
    const twice = { inboxes: [{ id: 'a', channel: 'slack', name: 'A', slack: { channels: ['C0SAME'] } }, { id: 'b', channel: 'slack', name: 'B', slack: { channels: ['C0SAME'] } }] };
    expect(() => parseSettings(twice, 'f')).toThrow(/Slack channel C0SAME is in inboxes "a" and "b"/);
    expect(() => parseSettings({ inboxes: [{ ...web, slack: { channels: ['C0X1'] } }] }, 'f')).toThrow(/inbox "website" is not on Slack/);
  });

  it('refuses a customer channel that is also a desk channel', () => {
    const settings = testSettings({ inboxes: [web, { id: 'b2b', channel: 'slack', name: 'B2B', slack: { channels: ['C0DESK'] } }] });
    expect(() => testConfig('unused', { settings, desk: { slack: { defaultChannel: 'C0DESK' } } })).toThrow(/inbox "b2b" slack\.channels: C0DESK is also a desk channel/);
  });
});
