/**
 * Slack message text → plain text. Slack escapes `&`, `<`, `>` and wraps mentions and links in
 * angle brackets (https://api.slack.com/reference/surfaces/formatting#retrieving-messages);
 * a customer must see what the manager saw, not that markup.
 */
export function slackToPlainText(text: string): string {
  const unwrapped = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@') || target.startsWith('#')) return `${target[0]}${label ?? target.slice(1)}`;
    if (target.startsWith('!subteam^')) return label ?? '@team';
    if (target.startsWith('!')) return `@${target.slice(1).split('^')[0]}`;
    const url = target.replace(/^mailto:/, '');
    return label && label !== url ? `${label} (${url})` : url;
  });
  return unwrapped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The text of a command typed to the bot: its `<@bot>` mentions removed, curly quotes made straight. */
export function commandText(text: string, botUserId: string): string {
  const withoutMention = text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ');
  return slackToPlainText(withoutMention).replace(/[\u201C\u201D\u201E]/g, '"').replace(/[\u2018\u2019]/g, "'").trim();
}

/**
 * True when the message starts by addressing the bot — then it is a command, never a customer
 * reply. A mention further on ("thanks, @Switchboard has your order") is an ordinary reply.
 */
export function mentionsBot(text: string, botUserId: string): boolean {
  return new RegExp(`^\\s*<@${botUserId}(\\|[^>]*)?>`).test(text);
}

/** `note: …` (any case) → the note's text; anything else → null. */
export function noteText(text: string): string | null {
  const match = /^\s*note:\s*([\s\S]*)$/i.exec(text);
  return match ? (match[1] ?? '').trim() : null;
}
