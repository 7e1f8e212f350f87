import { describe, expect, it } from 'vitest';
import { parseEnv, parseSettings } from '../../src/config/load-config.js';

const web = { id: 'website', channel: 'webchat', name: 'Website' };

describe('Discord settings', () => {
  it('accepts a Discord inbox with support channels and fills the defaults', () => {
    const settings = parseSettings({ inboxes: [web, { id: 'dc', channel: 'discord', name: 'Discord', discord: { supportChannels: ['123456789012345678'] } }] }, 'f');
    expect(settings.inboxes[1]?.discord).toEqual({ supportChannels: ['123456789012345678'], threadPerConversation: true, directMessages: true });
  });

  it('refuses channel names, a discord block elsewhere and two enabled Discord inboxes', () => {
    expect(() => parseSettings({ inboxes: [{ id: 'dc', channel: 'discord', name: 'D', discord: { supportChannels: ['#support'] } }] }, 'f')).toThrow(/supportChannels\.0: use a Discord id/);
    expect(() => parseSettings({ inboxes: [{ ...web, discord: { supportChannels: [] } }] }, 'f')).toThrow(/inbox "website" is not on Discord/);
    expect(() => parseSettings({ inboxes: [{ id: 'a', channel: 'discord', name: 'A' }, { id: 'b', channel: 'discord', name: 'B' }] }, 'f')).toThrow(/one Discord bot serves one inbox/);
  });

  it('checks the token\'s shape and the API URL', () => {
    expect(() => parseEnv({ DISCORD_BOT_TOKEN: 'short' })).toThrow(/DISCORD_BOT_TOKEN/);
    expect(() => parseEnv({ DISCORD_API_URL: 'not a url' })).toThrow(/DISCORD_API_URL/);
    expect(parseEnv({ DISCORD_BOT_TOKEN: `MTEw.Gabc.${'x'.repeat(40)}` }).DISCORD_BOT_TOKEN).toMatch(/^MTEw/);
  });
});
