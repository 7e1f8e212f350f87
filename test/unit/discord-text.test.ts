import { describe, expect, it } from 'vitest';
import { splitDiscordText, toDiscordText } from '../../channels/discord/discord-normalize.js';
import { discordTextToPlain } from '../../channels/discord/discord-text.js';

const noNames = { users: new Map<string, string>(), channels: new Map<string, string>() };

describe('discordTextToPlain', () => {
  it('names channels Discord told us about and keeps an escaped mention as typed text', () => {
    const names = { users: new Map([['8800000000000000008', 'Sales']]), channels: new Map([['5500000000000000005', 'support']]) };
    expect(discordTextToPlain('see <#5500000000000000005>, not \\<@8800000000000000008>', names)).toBe('see #support, not <@8800000000000000008>');
  });

  it('renders slash commands, masked links whose label is the URL, and out-of-range timestamps', () => {
    expect(discordTextToPlain('try </order status:1111111111111111111>', noNames)).toBe('try /order status');
    expect(discordTextToPlain('[https://x.example](https://x.example)', noNames)).toBe('https://x.example');
    expect(discordTextToPlain('<t:99999999999999:f>', noNames)).toBe('<t:99999999999999:f>');
  });

  it('defangs a mentioned user whose name is "everyone"', () => {
    const names = { users: new Map([['1', 'everyone']]), channels: new Map<string, string>() };
    expect(discordTextToPlain('<@1>', names)).toBe('@\u200beveryone');
  });

  it('leaves lone markers, unclosed code and stray private-use characters harmless', () => {
    expect(discordTextToPlain('5 * 3 = 15, a_b, ``` not closed, **', noNames)).toBe('5 * 3 = 15, a_b, ``` not closed, **');
    expect(discordTextToPlain('x\uE0000\uE001y', noNames)).toBe('x0y');
  });
});

describe('toDiscordText', () => {
  it('escapes markdown so the customer sees exactly what the manager typed', () => {
    expect(toDiscordText('Price: 2*3 = 6, file my_file.txt, ~~x~~ ||y|| `z` back\\slash')).toBe(
      'Price: 2\\*3 = 6, file my\\_file.txt, \\~\\~x\\~\\~ \\|\\|y\\|\\| \\`z\\` back\\\\slash',
    );
    expect(toDiscordText('> not a quote\n# not a heading\n-# not small\n[not](https://a.example) a masked link')).toBe(
      '\\> not a quote\n\\# not a heading\n\\-# not small\n\\[not](https://a.example) a masked link',
    );
  });

  it('keeps URLs clickable', () => {
    expect(toDiscordText('Track it at https://shop.example/track?id=a_b*c, thanks_!')).toBe('Track it at https://shop.example/track?id=a_b*c, thanks\\_!');
  });

  it('makes mentions impossible: @everyone, @here, users, roles, channels', () => {
    const out = toDiscordText('@everyone @here <@123456789012345678> <@&123456789012345678> <#123456789012345678> <:sofa:123456789012345678>');
    expect(out).not.toMatch(/@everyone|@here|<@\d|<@&|<#\d|<:\w+:\d/);
    expect(out.replaceAll('\u200b', '')).toBe('@everyone @here <@123456789012345678> <@&123456789012345678> <#123456789012345678> <:sofa:123456789012345678>');
  });

  it('keeps Korean text and emoji as they are', () => {
    expect(toDiscordText('내일 배송됩니다 🚚')).toBe('내일 배송됩니다 🚚');
  });
});

describe('splitDiscordText', () => {
  it('keeps a short text in one piece and an empty one in none', () => {
    expect(splitDiscordText('Thanks!', 2000)).toEqual(['Thanks!']);
    expect(splitDiscordText('  \n ', 2000)).toEqual([]);
  });

  it('cuts long text at line breaks, every piece within the limit', () => {
    const lines = Array.from({ length: 120 }, (_v, i) => `Line ${i}: ${'detail '.repeat(5)}`.trim());
    const parts = splitDiscordText(lines.join('\n'), 2000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts one long paragraph between words', () => {
    const words = Array.from({ length: 900 }, (_v, i) => `word${i}`);
    const parts = splitDiscordText(words.join(' '), 2000);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join(' ')).toBe(words.join(' '));
  });

  it('cuts text without spaces without breaking an emoji or an escape', () => {
    const emoji = splitDiscordText(`${'a'.repeat(9)}🙂${'b'.repeat(10)}`, 10);
    expect(emoji[0]).toBe('a'.repeat(9));
    expect(emoji.join('')).toBe(`${'a'.repeat(9)}🙂${'b'.repeat(10)}`);
    const escaped = splitDiscordText(toDiscordText(`${'a'.repeat(9)}*b`), 10);
    expect(escaped[0]).toBe('a'.repeat(9));
    expect(escaped[1]).toBe('\\*b');
  });

  it('splits a Korean reply of 5,400 characters into three pieces Discord accepts, losing no word', () => {
    const text = '안녕하세요 '.repeat(900).trim();
    const parts = splitDiscordText(toDiscordText(text), 2000);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join(' ')).toBe(text);
  });

  it('refuses a limit too small to make progress', () => {
    expect(() => splitDiscordText('abc', 1)).toThrow(RangeError);
  });
});
