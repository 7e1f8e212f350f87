import iconv from 'iconv-lite';

/** Builders for raw MIME messages in tests: every fixture is written out in the test itself. */

export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** Text in a legacy charset, as the bytes a mail client would send. */
export function encode(text: string, charset: string): Buffer {
  return charset.toLowerCase() === 'iso-2022-jp' ? iso2022jp(text) : iconv.encode(text, charset);
}

/**
 * ISO-2022-JP, which iconv-lite cannot write: JIS X 0208 is EUC-JP with the high bits cleared,
 * switched in with ESC $ B and out with ESC ( B.
 */
function iso2022jp(text: string): Buffer {
  const euc = iconv.encode(text, 'euc-jp');
  const out: number[] = [];
  let kanji = false;
  for (let i = 0; i < euc.length; i += 1) {
    const byte = euc[i] ?? 0;
    if (byte >= 0xa1) {
      if (!kanji) out.push(0x1b, 0x24, 0x42);
      kanji = true;
      out.push(byte & 0x7f, (euc[i + 1] ?? 0) & 0x7f);
      i += 1;
    } else {
      if (kanji) out.push(0x1b, 0x28, 0x42);
      kanji = false;
      out.push(byte);
    }
  }
  if (kanji) out.push(0x1b, 0x28, 0x42);
  return Buffer.from(out);
}

/** An RFC 2047 encoded word, `=?EUC-KR?B?…?=`. */
export function encodedWord(text: string, charset: string, encoding: 'B' | 'Q' = 'B'): string {
  const bytes = encode(text, charset);
  if (encoding === 'B') return `=?${charset}?B?${bytes.toString('base64')}?=`;
  const q = [...bytes].map((b) => (b === 0x20 ? '_' : b > 0x20 && b < 0x7f && b !== 0x3d && b !== 0x3f && b !== 0x5f ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return `=?${charset}?Q?${q}?=`;
}

/** Base64 in 76-character lines, as MIME writes it. */
export function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/gu) ?? []).join('\r\n');
}

/** Quoted-printable of UTF-8 text (soft line breaks at 76). */
export function quotedPrintable(text: string): string {
  const encoded = [...Buffer.from(text, 'utf8')]
    .map((b) => (b === 0x0a ? '\n' : (b >= 0x21 && b <= 0x7e && b !== 0x3d) || b === 0x20 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  return encoded
    .split('\n')
    .map((line) => (line.match(/.{1,72}(?:=[0-9A-F]{2})?/gu) ?? ['']).join('=\r\n'))
    .join('\r\n');
}

/** A header block and a body joined with CRLF. The body may be bytes in any charset. */
export function message(headers: HeaderList, body: string | Buffer = ''): Buffer {
  const head = headers.map(([name, value]) => `${name}: ${value}`).join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

/** One body part of a multipart message. */
export interface Part {
  headers: HeaderList;
  body: string | Buffer;
}

/** A multipart body with its closing delimiter (leave it out with `closed: false`). */
export function multipartBody(boundary: string, parts: readonly Part[], closed = true): Buffer {
  const chunks: Buffer[] = [Buffer.from('This is a multi-part message in MIME format.\r\n')];
  for (const part of parts) {
    chunks.push(Buffer.from(`\r\n--${boundary}\r\n${part.headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`, 'latin1'));
    chunks.push(typeof part.body === 'string' ? Buffer.from(part.body, 'utf8') : part.body);
  }
  if (closed) chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** Headers every ordinary test mail has. */
export function basicHeaders(extra: HeaderList = [], subject = 'Question about pricing'): HeaderList {
  return [
    ['Return-Path', '<anna.kim@customer.test>'],
    ['From', '"Anna Kim" <Anna.Kim@Customer.test>'],
    ['To', 'Sales <sales@switchboard.test>'],
    ['Subject', subject],
    ['Date', 'Sat, 28 Nov 2026 15:00:00 +0900'],
    ['Message-ID', '<CAF=abc123@mail.customer.test>'],
    ['MIME-Version', '1.0'],
    ...extra,
  ];
}
