/** One word of a command; `quoted` tells "next monday" (one token, quoted) from next monday. */
export interface DeskToken {
  text: string;
  quoted: boolean;
}

/** Why a command line could not even be split into words. */
export class TokenizeError extends Error {}

const CLOSING: Record<string, string> = { '"': '"', '“': '”', '„': '“', '«': '»', '「': '」' };

/**
 * Splits a command line into words at whitespace; "…", “…”, «…» and 「…」 keep spaces inside one
 * word (Korean and other scripts pass through untouched). Pure: an unclosed quote throws.
 */
export function tokenize(line: string): DeskToken[] {
  const tokens: DeskToken[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const close = CLOSING[ch];
    if (close) {
      const end = line.indexOf(close, i + 1);
      if (end < 0) throw new TokenizeError(`the quote opened with ${ch} is not closed`);
      tokens.push({ text: line.slice(i + 1, end).trim(), quoted: true });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < line.length && !/\s/.test(line[end] ?? '')) end += 1;
    tokens.push({ text: line.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

/** The words of `tokens` joined back into text (quotes dropped). */
export function joinTokens(tokens: readonly DeskToken[]): string {
  return tokens.map((t) => t.text).join(' ').trim();
}
