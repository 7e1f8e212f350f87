import { describe, expect, it } from 'vitest';
import { parseCardCallback } from '../../bots/telegram-desk/inbound/card-callback.listener.js';
import { commandWord, deskMarkupToHtml, noteText } from '../../bots/telegram-desk/inbound/telegram-text.js';
import { TeamSettingsSchema } from '../../src/config/team.schema.js';
import { testTeam } from '../support/test-config.js';

describe('Telegram desk text', () => {
  it('turns the command set\'s *bold* and `code` into HTML, escaping what people typed first', () => {
    expect(deskMarkupToHtml('*Your tasks*\n#3 call <Kim> & `deal new "x"`')).toBe('<b>Your tasks</b>\n#3 call &lt;Kim&gt; &amp; <code>deal new &quot;x&quot;</code>');
    expect(deskMarkupToHtml('2*3*4 stays')).toBe('2*3*4 stays');
    // Desk replies carry stored values escaped for Slack; Telegram shows them as typed.
    expect(deskMarkupToHtml('Contact &lt;!channel&gt; &amp; co')).toBe('Contact &lt;!channel&gt; &amp; co');
    expect(deskMarkupToHtml('<b>not markup</b>')).toBe('&lt;b&gt;not markup&lt;/b&gt;');
  });

  it('turns a ``` block (a report table) into <pre>, its text escaped and left as is', () => {
    const table = '*Revenue — 2026*\n```\nMonth     Revenue\nNov 2026  $1,200.00\n* A &amp; B &lt;x&gt; *not bold*\n```\nafter `code`';
    expect(deskMarkupToHtml(table)).toBe('<b>Revenue — 2026</b>\n<pre>Month     Revenue\nNov 2026  $1,200.00\n* A &amp; B &lt;x&gt; *not bold*</pre>\nafter <code>code</code>');
    expect(deskMarkupToHtml('```\na\n```\n```b```')).toBe('<pre>a</pre>\n<pre>b</pre>');
  });

  it('reads the command word, ours with or without @DeskBot, never another bot\'s', () => {
    expect(commandWord('/deal new "Kim" 1', 'DeskBot')).toBe('deal');
    expect(commandWord('/Deal@deskbot list', 'DeskBot')).toBe('deal');
    expect(commandWord('/deal@OtherBot new x', 'DeskBot')).toBeNull();
    expect(commandWord('hello /deal', 'DeskBot')).toBeNull();
    expect(commandWord('/', 'DeskBot')).toBeNull();
    expect(commandWord('//deal', 'DeskBot')).toBeNull();
  });

  it('finds `note:` in any case and nothing else', () => {
    expect(noteText('NoTe:  call back ')).toBe('call back');
    expect(noteText('note:')).toBe('');
    expect(noteText('a note: no')).toBeNull();
  });

  it('accepts only sb:<known action>:<24 hex> as card button data', () => {
    expect(parseCardCallback('sb:assign:0123456789abcdef01234567')).toEqual({ action: 'assign', conversationId: '0123456789abcdef01234567' });
    for (const bad of [undefined, '', 'sb:assign:', 'sb:nuke:0123456789abcdef01234567', 'sb:close:0123456789ABCDEF0123456', 'sb:close:0123456789abcdef01234567:x', 'xx:close:0123456789abcdef01234567']) {
      expect(parseCardCallback(bad)).toBeNull();
    }
  });
});

describe('team.json Telegram mapping', () => {
  const manager = (extra: Record<string, unknown>) => ({ email: 'a@example.com', name: 'A', teams: ['sales'], ...extra });

  it('takes a numeric id (number or string) and an @username, normalised', () => {
    const team = TeamSettingsSchema.parse(testTeam({ managers: [manager({ telegramUserId: 123456789, telegramUsername: '@Ann_Lee' })] }));
    expect(team.managers[0]).toMatchObject({ telegramUserId: '123456789', telegramUsername: 'ann_lee' });
  });

  it('rejects ids and usernames that are not Telegram\'s, and one id or username given to two people', () => {
    for (const bad of [{ telegramUserId: 'ann' }, { telegramUserId: -5 }, { telegramUsername: 'ab' }, { telegramUsername: 'has space' }]) {
      expect(TeamSettingsSchema.safeParse(testTeam({ managers: [manager(bad)] })).success).toBe(false);
    }
    const twice = TeamSettingsSchema.safeParse(testTeam({ managers: [manager({ telegramUserId: '42' }), { ...manager({ telegramUserId: 42 }), email: 'b@example.com' }] }));
    expect(twice.success).toBe(false);
    expect(JSON.stringify(twice.error?.issues)).toContain('42 is given to two managers');
    const names = TeamSettingsSchema.safeParse(testTeam({ managers: [manager({ telegramUsername: 'ann_lee' }), { ...manager({ telegramUsername: '@ANN_LEE' }), email: 'b@example.com' }] }));
    expect(JSON.stringify(names.error?.issues)).toContain('@ann_lee is given to two managers');
  });
});
