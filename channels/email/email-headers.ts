/**
 * Header fields as they were written: lower-case name → every value, unfolded, in order.
 * mailparser reshapes some headers (List-* into one `list` entry, Return-Path into an address
 * object, repeated "single" headers down to the first), so the rules that look at headers read
 * these instead.
 */
export type RawHeaders = ReadonlyMap<string, readonly string[]>;

/** Parses a header block (the text before the first empty line) into {@link RawHeaders}. */
export function parseHeaderBlock(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let current: { name: string; value: string } | undefined;
  const flush = () => {
    if (!current) return;
    const list = headers.get(current.name) ?? [];
    list.push(current.value.replace(/\s+/gu, ' ').trim());
    headers.set(current.name, list);
    current = undefined;
  };
  for (const line of block.split(/\r?\n/u)) {
    if (/^[ \t]/u.test(line)) {
      if (current) current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (/^[\x21-\x39\x3b-\x7e]+$/u.test(name)) current = { name, value: line.slice(colon + 1) };
  }
  flush();
  return headers;
}

/** The header lines mailparser keeps verbatim (`{ key, line }`), as {@link RawHeaders}. */
export function rawHeadersOf(lines: ReadonlyArray<{ key: string; line: string }>): Map<string, string[]> {
  return parseHeaderBlock(lines.map((l) => l.line).join('\n'));
}

/** The first value of a header, or undefined. */
export function firstHeader(headers: RawHeaders, name: string): string | undefined {
  return headers.get(name.toLowerCase())?.[0];
}

/**
 * Splits a message (or a returned-headers part) at the first empty line. A text with no empty
 * line is all header when it looks like one, otherwise all body.
 */
export function splitHeadersAndBody(text: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/u.exec(text);
  if (match) return { head: text.slice(0, match.index), body: text.slice(match.index + match[0].length) };
  return looksLikeHeaderBlock(text) ? { head: text, body: '' } : { head: '', body: text };
}

/** True when the text starts with a `Name: value` line, as a header section does. */
export function looksLikeHeaderBlock(text: string): boolean {
  return /^[\x21-\x39\x3b-\x7e]{1,76}:/u.test(text);
}

/** A structured header's main value and parameters (`multipart/report; report-type=…`). */
export function headerParams(value: string | undefined): { value: string; params: Record<string, string> } {
  if (!value) return { value: '', params: {} };
  const [main = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/u, '$1');
  }
  return { value: main.trim().toLowerCase(), params };
}
