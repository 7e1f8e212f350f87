import { describe, expect, it } from 'vitest';
import { commandText, mentionsBot, noteText, slackToPlainText } from '../../bots/slack-desk/inbound/slack-text.js';
import { TeamSettingsSchema } from '../../src/config/team.schema.js';
import { testTeam } from '../support/test-config.js';

describe('Slack text a manager typed → what the customer sees', () => {
  it.each([
    ['plain text', 'Hello there', 'Hello there'],
    ['escaped characters', 'a &lt; b &amp;&amp; c &gt; d', 'a < b && c > d'],
    ['a labelled link', 'see <https://x.example/p?a=1&amp;b=2|the offer>', 'see the offer (https://x.example/p?a=1&b=2)'],
    ['a bare link', 'go to <https://x.example>', 'go to https://x.example'],
    ['a link labelled with itself', '<https://x.example|https://x.example>', 'https://x.example'],
    ['an email link', 'write <mailto:kim@example.com|kim@example.com>', 'write kim@example.com'],
    ['a user mention with a label', 'ask <@U123|ann>', 'ask @ann'],
    ['a channel mention', 'in <#C123|sales>', 'in #sales'],
    ['a special mention', '<!here> look', '@here look'],
    ['a user group', '<!subteam^S1|@support> ping', '@support ping'],
  ])('%s', (_what, input, expected) => {
    expect(slackToPlainText(input)).toBe(expected);
  });
});

describe('commands and notes typed in a thread', () => {
  it('strips the bot mention and straightens curly quotes', () => {
    expect(commandText('<@UBOT> deal new “Kim Corp” 1200', 'UBOT')).toBe('deal new "Kim Corp" 1200');
    expect(commandText('<@UBOT|switchboard>   help ', 'UBOT')).toBe('help');
  });

  it('tells a mention of the bot from a mention of someone else', () => {
    expect(mentionsBot('<@UBOT> close', 'UBOT')).toBe(true);
    expect(mentionsBot('thanks <@UANN>', 'UBOT')).toBe(false);
    expect(mentionsBot('  <@UBOT|switchboard> deal list', 'UBOT')).toBe(true);
    expect(mentionsBot('thanks, <@UBOT> has your order', 'UBOT')).toBe(false);
  });

  it('reads `note:` in any case, and nothing else, as a note', () => {
    expect(noteText('note: VIP')).toBe('VIP');
    expect(noteText('  NoTe:  call back\nFriday ')).toBe('call back\nFriday');
    expect(noteText('note:')).toBe('');
    expect(noteText('notes are great')).toBeNull();
    expect(noteText('a note: inside')).toBeNull();
  });
});

describe('team.json slackUserId', () => {
  const manager = { email: 'ann@example.com', name: 'Ann', teams: ['sales'] };

  it('accepts a Slack member id and refuses anything else, naming the field', () => {
    expect(TeamSettingsSchema.safeParse(testTeam({ managers: [{ ...manager, slackUserId: 'U0123ABCD' }] })).success).toBe(true);
    const bad = TeamSettingsSchema.safeParse(testTeam({ managers: [{ ...manager, slackUserId: 'ann' }] }));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['managers', 0, 'slackUserId'], message: expect.stringContaining('Slack member id') });
  });

  it('refuses the same member id for two managers', () => {
    const twice = TeamSettingsSchema.safeParse(testTeam({ managers: [{ ...manager, slackUserId: 'U1AA' }, { ...manager, email: 'bob@example.com', slackUserId: 'U1AA' }] }));
    expect(twice.error?.issues[0]?.message).toBe('U1AA is given to two managers');
  });
});
