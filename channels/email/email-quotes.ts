/** What is left of a reply once the quoted history and the signature are cut. */
export interface TrimmedText {
  visible: string;
  /** True when something was cut (the full text is then worth keeping too). */
  trimmed: boolean;
}

/**
 * Attribution lines mail clients write above the quoted message. Non-English ones must carry a
 * digit or an address so an ordinary sentence ending in "пишет:" is not taken for one.
 */
const ATTRIBUTION: readonly RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/iu,
  /^\s*Le\b.{0,300}\ba écrit\s?:\s*$/iu,
  /^\s*Am\b.{0,300}\bschrieb\b.{0,300}:\s*$/iu,
  /^(?=.*[\d@]).{0,300}님이 작성:\s*$/u,
  /^(?=.*[\d@]).{0,300}(?:пишет|написал|написала)\s?:\s*$/iu,
  /^(?=.*[\d@]).{0,300}(?:写道|寫道)\s?[:：]\s*$/u,
];

/** Outlook's separators above a quoted message; everything below is history. */
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(?:Original Message|원본 메시지|Исходное сообщение|Ursprüngliche Nachricht|Message d'origine|原始邮件|原始郵件)\s*-{2,}\s*$/iu;
/** Outlook's header block: a From line followed within a few lines by a Sent line. */
const OUTLOOK_FROM = /^\s*\*?(?:From|보낸 사람|От|Von|De|发件人|寄件者)\*?\s*[:：]/iu;
const OUTLOOK_SENT = /^\s*\*?(?:Sent|보낸 날짜|Отправлено|Gesendet|Envoyé|发送时间|傳送時間|Date)\*?\s*[:：]/iu;
/** Gmail's and Thunderbird's forward separators, and Apple Mail's "Begin forwarded message:". */
const FORWARDED = /^\s*(?:-{2,}\s*(?:Forwarded message|전달된 메시지|Пересылаемое сообщение|Weitergeleitete Nachricht)\s*-{2,}|Begin forwarded message:|Début du message réexpédié\s?:)\s*$/iu;
const UNDERSCORES = /^\s*_{10,}\s*$/u;

/** Mobile clients' one-line signatures. */
const MOBILE_SIGNATURE =
  /^\s*(?:Sent from my \S.{0,40}|Sent from (?:Mail|Outlook) for \S.{0,20}|Get Outlook for (?:iOS|Android)|Sent from Yahoo Mail.{0,40}|Von meinem \S.{0,30} gesendet|Отправлено с \S.{0,30}|Отправлено из мобильной .{0,40}|(?:iPhone|iPad|Galaxy|Android|모바일|Samsung Galaxy 스마트폰)에서 보냄)\s*$/iu;
const SIGNATURE_DELIMITER = /^-- ?$/u;

/**
 * Cuts what a reader of the conversation has already seen: the quoted history of a reply
 * ("On … wrote:" and its Korean, Russian, German and French forms, Outlook's "-----Original
 * Message-----" and "From: … Sent: …" blocks, trailing "> " lines) and the signature (after a
 * "-- " line, or a mobile "Sent from my iPhone" line at the end). A forwarded message
 * ("---------- Forwarded message ---------") is content and stays. An inline reply (answers
 * between quoted lines) keeps its quotes. When nothing would be left, the whole text is kept.
 */
export function trimQuotedHistory(text: string): TrimmedText {
  const whole = text.replace(/\r\n?/gu, '\n');
  const lines = whole.split('\n');
  const cut = Math.min(historyStart(lines), signatureStart(lines));
  const visible = lines.slice(0, cut).join('\n').trim();
  if (cut >= lines.length || visible.length === 0) return { visible: whole.trim(), trimmed: false };
  return { visible, trimmed: true };
}

/** Where the last '>' line and the last line of anything else are, for inline-reply checks. */
interface QuoteLayout {
  lastQuote: number;
  lastOther: number;
}

function historyStart(lines: readonly string[]): number {
  const layout = quoteLayout(lines);
  for (let i = 0; i < lines.length; i += 1) {
    if (startsHistory(lines, i, layout)) return i;
  }
  return trailingQuoteStart(lines);
}

function startsHistory(lines: readonly string[], i: number, layout: QuoteLayout): boolean {
  const line = lines[i] ?? '';
  if (ORIGINAL_MESSAGE.test(line)) return true;
  if (isAttribution(line)) return onlyQuotesFollow(layout, i + 1);
  const next = lines[i + 1] ?? '';
  if (next.trim() && !isAttribution(next) && isAttribution(`${line} ${next}`)) return onlyQuotesFollow(layout, i + 2);
  if (UNDERSCORES.test(line) && OUTLOOK_FROM.test(lines[i + 1] ?? '')) return outlookBlock(lines, i + 1);
  return OUTLOOK_FROM.test(line) && !FORWARDED.test(previousNonEmpty(lines, i)) && outlookBlock(lines, i);
}

function isAttribution(line: string): boolean {
  return ATTRIBUTION.some((pattern) => pattern.test(line));
}

function outlookBlock(lines: readonly string[], from: number): boolean {
  if (FORWARDED.test(previousNonEmpty(lines, from))) return false;
  return lines.slice(from + 1, from + 5).some((line) => OUTLOOK_SENT.test(line));
}

function previousNonEmpty(lines: readonly string[], i: number): string {
  for (let j = i - 1; j >= 0; j -= 1) if ((lines[j] ?? '').trim()) return lines[j] ?? '';
  return '';
}

/**
 * After an attribution, a '>' quote is history only when no answer is written between its lines
 * (an inline reply); a quote without '>' (Gmail's HTML converted to text) is history as a whole.
 */
function onlyQuotesFollow(layout: QuoteLayout, from: number): boolean {
  return layout.lastQuote < from || layout.lastOther < from;
}

function quoteLayout(lines: readonly string[]): QuoteLayout {
  const layout = { lastQuote: -1, lastOther: -1 };
  lines.forEach((line, i) => {
    if (line.trimStart().startsWith('>')) layout.lastQuote = i;
    else if (line.trim() && !SIGNATURE_DELIMITER.test(line)) layout.lastOther = i;
  });
  return layout;
}

/** The first line of the block of '>' lines (empty lines allowed) that ends the text. */
function trailingQuoteStart(lines: readonly string[]): number {
  let start = lines.length;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? '';
    if (line.trimStart().startsWith('>')) start = i;
    else if (line.trim()) break;
  }
  return start;
}

function signatureStart(lines: readonly string[]): number {
  const delimiter = lines.findIndex((line) => SIGNATURE_DELIMITER.test(line));
  const mobile = lines.findIndex((line, i) => MOBILE_SIGNATURE.test(line) && lines.slice(i + 1, i + 4).every((next) => !next.trim() || startsQuote(next)));
  const found = [delimiter, mobile].filter((i) => i > 0);
  return found.length > 0 ? Math.min(...found) : lines.length;
}

function startsQuote(line: string): boolean {
  return line.trimStart().startsWith('>') || isAttribution(line) || ORIGINAL_MESSAGE.test(line) || UNDERSCORES.test(line) || OUTLOOK_FROM.test(line);
}
