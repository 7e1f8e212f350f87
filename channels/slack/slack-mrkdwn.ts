/**
 * Slack's message markup, both ways. Slack escapes only `&`, `<` and `>` in message text and
 * writes mentions, channel links, special mentions and URLs as `<…>` tokens.
 */

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

/** `&amp;` `&lt;` `&gt;` (and the quote entities some clients send) back to characters, in one pass. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_m, name: string) => ENTITIES[name] ?? _m);
}

/**
 * Slack mrkdwn → plain text a manager can read anywhere: `<@U1>` → `@Name` (or `@U1` when the
 * name is unknown), `<#C1|general>` → `#general`, `<!here>` → `@here`, `<https://x|label>` →
 * `label (https://x)`, entities decoded. Entities are decoded inside each token and in the text
 * between tokens, never twice, so `&amp;lt;` stays the literal `&lt;` the customer typed.
 */
export function slackTextToPlain(text: string, userNames: ReadonlyMap<string, string> = new Map()): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/<([^<>]*)>/g)) {
    out += decodeSlackEntities(text.slice(last, match.index));
    out += renderToken(match[1] ?? '', userNames);
    last = match.index + match[0].length;
  }
  return out + decodeSlackEntities(text.slice(last));
}

function renderToken(token: string, userNames: ReadonlyMap<string, string>): string {
  const bar = token.indexOf('|');
  const target = bar >= 0 ? token.slice(0, bar) : token;
  const label = bar >= 0 ? decodeSlackEntities(token.slice(bar + 1)) : undefined;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${userNames.get(id) ?? label ?? id}`;
  }
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!')) return renderSpecial(target.slice(1), label);
  const url = decodeSlackEntities(target);
  if (!label || label === url) return url;
  if (url.startsWith('mailto:') && url.slice('mailto:'.length) === label) return label;
  return `${label} (${url})`;
}

function renderSpecial(name: string, label: string | undefined): string {
  if (name.startsWith('date^')) return label ?? '';
  if (label) return label.startsWith('@') ? label : `@${label}`;
  if (name.startsWith('subteam^')) return `@${name.slice('subteam^'.length)}`;
  return `@${name}`;
}

/** Plain text → safe Slack text: `&`, `<` and `>` escaped so nothing turns into a mention or link. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
