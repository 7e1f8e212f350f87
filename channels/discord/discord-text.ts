/**
 * Discord's message markup → plain text a manager can read anywhere (and that can ping nobody
 * when echoed back). Markup reference: https://discord.com/developers/docs/reference#message-formatting
 * and https://support.discord.com/hc/en-us/articles/210298617 (markdown).
 */

/** Names for the ids a message mentions. */
export interface DiscordMentionNames {
  users: ReadonlyMap<string, string>;
  channels: ReadonlyMap<string, string>;
}

const ZWSP = '\u200b';
/** Private-use characters that bracket the number of a protected piece while markdown is stripped. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const HOLE = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g');

/** Pieces kept as they are (code, URLs) or rendered before markdown is stripped (mentions, emoji…). */
const TOKEN = new RegExp(
  [
    /(?<code>(?<ticks>`+)[\s\S]*?[^`]\k<ticks>(?!`))/.source,
    /\\(?<escaped>[^\sA-Za-z0-9])/.source,
    /<@!?(?<user>\d{1,21})>/.source,
    /<@&(?<role>\d{1,21})>/.source,
    /<#(?<channel>\d{1,21})>/.source,
    /<a?:(?<emoji>\w{1,32}):\d{1,21}>/.source,
    /<t:(?<time>-?\d{1,14})(?::(?<style>[tTdDfFrRsS]))?>/.source,
    /<\/(?<command>[^:<>\n]{1,100}):\d{1,21}>/.source,
    /<id:(?<guildNav>\w{1,32})>/.source,
    /<(?<bracketed>https?:\/\/[^\s<>]+)>/.source,
    /\[(?<label>[^\]\n]{1,256})\]\(\s*<?(?<target>https?:\/\/[^\s<>()]+)>?\s*\)/.source,
    /(?<url>https?:\/\/[^\s<]+[^<.,:;"'!?)\]\s])/.source,
  ].join('|'),
  'g',
);

/**
 * Discord text → plain text: `<@1>` → `@Name` (`@user` when the name is unknown), `<#1>` →
 * `#name` (`#channel`), `<@&1>` → `@role`, `<:smile:1>` → `:smile:`, `<t:1700000000:R>` → an ISO
 * date, `<https://x>` → the URL, `[label](url)` → `label (url)`, spoilers, bold, italics,
 * underline, strike-through, headings and escapes dropped. Code and URLs are kept exactly, and
 * `_` or `*` inside words (snake_case, 2*3) stay. `@everyone`/`@here` are defanged.
 */
export function discordTextToPlain(text: string, names: DiscordMentionNames): string {
  const kept: string[] = [];
  const hole = (piece: string) => `${OPEN}${kept.push(piece) - 1}${CLOSE}`;
  const marked = text.replace(/[\uE000\uE001]/g, '').replace(TOKEN, (...args: unknown[]) => renderToken(args.at(-1) as Groups, names, hole));
  const plain = stripMarkdown(marked);
  // A kept piece may itself hold holes (a masked link's URL), so restore until none is left.
  let restored = plain;
  for (let pass = 0; pass < 3 && restored.includes(OPEN); pass += 1) restored = restored.replace(HOLE, (_m, n: string) => kept[Number(n)] ?? '');
  return defangDiscordMentions(restored);
}

/** `@everyone` and `@here` with a zero-width space after the `@`: they read the same and ping nobody. */
export function defangDiscordMentions(text: string): string {
  return text.replace(/@(?=everyone|here)/g, `@${ZWSP}`);
}

type Groups = Partial<Record<string, string>>;

function renderToken(g: Groups, names: DiscordMentionNames, hole: (piece: string) => string): string {
  if (g.code !== undefined) return hole(g.code);
  if (g.escaped !== undefined) return hole(g.escaped);
  if (g.user !== undefined) return hole(`@${names.users.get(g.user) ?? 'user'}`);
  if (g.role !== undefined) return hole('@role');
  if (g.channel !== undefined) return hole(`#${names.channels.get(g.channel) ?? 'channel'}`);
  if (g.emoji !== undefined) return hole(`:${g.emoji}:`);
  if (g.time !== undefined) return hole(discordTimestampText(g.time, g.style));
  if (g.command !== undefined) return hole(`/${g.command}`);
  if (g.guildNav !== undefined) return hole(`#${g.guildNav}`);
  if (g.bracketed !== undefined) return hole(g.bracketed);
  if (g.target !== undefined) return g.label === g.target ? hole(g.target) : `${g.label ?? ''} (${hole(g.target)})`;
  return hole(g.url ?? '');
}

/** `<t:…:d>`/`<t:…:D>` show a date, every other style an instant: ISO 8601 either way, in UTC. */
function discordTimestampText(seconds: string, style: string | undefined): string {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `<t:${seconds}${style ? `:${style}` : ''}>`;
  const iso = date.toISOString().replace(/\.000Z$/, 'Z');
  return style === 'd' || style === 'D' ? iso.slice(0, 10) : iso;
}

/** A word character on either side of `_` or `*` means it is part of the word, not markup. */
const W = String.raw`\p{L}\p{N}`;
const INLINE_RULES: [RegExp, string][] = [
  [/\|\|(?=\S)([\s\S]*?\S)\|\|/g, '$1'],
  [/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '$1'],
  [/~~(?=\S)([\s\S]*?\S)~~/g, '$1'],
  [new RegExp(`(?<![${W}_])__(?=[^\\s_])([\\s\\S]*?[^\\s_])__(?![${W}_])`, 'gu'), '$1'],
  [new RegExp(`(?<![${W}*])\\*(?=[^\\s*])([^*\\n]*?[^\\s*])\\*(?![${W}*])`, 'gu'), '$1'],
  [new RegExp(`(?<![${W}_])_(?=[^\\s_])([^_\\n]*?[^\\s_])_(?![${W}_])`, 'gu'), '$1'],
];

function stripMarkdown(text: string): string {
  // Headings (#, ##, ###) and subtext (-#) at the start of a line; quotes and lists read fine as they are.
  let out = text.replace(/^([ \t]*)(?:#{1,3}|-#)[ \t]+(?=\S)/gm, '$1');
  // Markers nest (***bold italic***, ||**x**||): a few passes unwrap them from the outside in.
  for (let pass = 0; pass < 3; pass += 1) {
    const before = out;
    for (const [rule, replacement] of INLINE_RULES) out = out.replace(rule, replacement);
    if (out === before) break;
  }
  return out;
}
