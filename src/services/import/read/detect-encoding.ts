import iconv from 'iconv-lite';

/** Encodings a CSV file without a byte order mark is read in. */
export type GuessedEncoding = 'utf-8' | 'cp949' | 'windows-1251';

/**
 * Guesses the encoding of text without a byte order mark from its first bytes: valid UTF-8 is
 * UTF-8; otherwise the sample is decoded both as CP949 (EUC-KR) and Windows-1251 and the reading
 * that looks more like Korean or Russian text wins. `complete` says the sample is the whole file,
 * so a multibyte character cut at its end is an error rather than the sample's edge.
 */
export function guessEncoding(sample: Buffer, complete: boolean): GuessedEncoding {
  if (isUtf8(sample, complete)) return 'utf-8';
  return koreanScore(iconv.decode(sample, 'cp949')) >= russianScore(iconv.decode(sample, 'windows-1251')) ? 'cp949' : 'windows-1251';
}

function isUtf8(sample: Buffer, complete: boolean): boolean {
  try {
    // `stream: true` keeps an incomplete trailing sequence for a later call instead of failing.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Hangul syllables score per pair of bytes; anything else non-ASCII (Hanja, symbols, bytes that
 * form no character) is what Russian text looks like when read as CP949.
 */
export function koreanScore(text: string): number {
  let score = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) continue;
    if (code >= 0xac00 && code <= 0xd7a3) score += 2;
    else if (code === 0xfffd) score -= 4;
    else score -= 2;
  }
  return score;
}

const RUSSIAN_PUNCTUATION = new Set([0xa0, 0xab, 0xbb, 0x2116, 0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x201e, 0x2026, 0x2022]);

/**
 * Russian letters score one each, less when a capital follows a small letter inside a word
 * (Korean bytes read as Windows-1251 mix cases and symbols like "°±¶" at random).
 */
export function russianScore(text: string): number {
  let score = 0;
  let afterSmallLetter = false;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      afterSmallLetter = false;
      continue;
    }
    const capital = (code >= 0x410 && code <= 0x42f) || code === 0x401;
    const small = (code >= 0x430 && code <= 0x44f) || code === 0x451;
    if (capital || small) score += capital && afterSmallLetter ? -1 : 1;
    else if (code === 0xfffd) score -= 4;
    else if (!RUSSIAN_PUNCTUATION.has(code)) score -= 2;
    afterSmallLetter = small;
  }
  return score;
}
