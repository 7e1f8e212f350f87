/**
 * Rough text widths, without a font engine: East Asian wide characters (Hangul, CJK, kana,
 * full-width forms) and emoji take a full em — two cells in a monospace table — everything else
 * about 0.6 em — one cell. Good enough to truncate labels before they overflow.
 */

const ELLIPSIS = '…';

/** Characters drawn with no width of their own: combining marks, joiners, variation selectors. */
function isZeroWidth(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x20d0 && code <= 0x20ff)
  );
}

/** East Asian Wide / Fullwidth ranges (Unicode UAX #11, the common blocks) and emoji. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa960 && code <= 0xa97f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Cells a character takes in a monospace table: 0, 1 or 2. */
function cellWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (isZeroWidth(code)) return 0;
  return isWide(code) ? 2 : 1;
}

/** Cells `text` takes in a monospace table (CJK and emoji count double). */
export function monoWidth(text: string): number {
  let width = 0;
  for (const char of text) width += cellWidth(char);
  return width;
}

/** Width of one character in em: wide 1, narrow 0.6, zero-width 0. */
function charEm(char: string): number {
  const cells = cellWidth(char);
  return cells === 2 ? 1 : cells * 0.6;
}

/** Estimated width in px of `text` drawn at `fontSize` px (wide ≈ 1 em, others ≈ 0.6 em). */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const char of text) em += charEm(char);
  return em * fontSize;
}

/** Cuts `text` so its width by `widthOf` (per character) is at most `max`, ending a cut text with "…". */
function truncateBy(text: string, max: number, widthOf: (char: string) => number): string {
  let total = 0;
  for (const char of text) total += widthOf(char);
  // Sums of 0.6 em carry float error; a text measured to fit exactly must not be cut.
  if (total <= max + 1e-6) return text;
  const room = max - widthOf(ELLIPSIS);
  let kept = '';
  let used = 0;
  for (const char of text) {
    used += widthOf(char);
    if (used > room) break;
    kept += char;
  }
  return kept.trimEnd() + ELLIPSIS;
}

/** `text` cut to at most `cells` monospace cells, with "…" when cut. */
export function truncateToCells(text: string, cells: number): string {
  return truncateBy(text, Math.max(1, cells), cellWidth);
}

/** `text` cut to fit `maxWidth` px at `fontSize`, with "…" when cut. */
export function truncateToWidth(text: string, maxWidth: number, fontSize: number): string {
  return truncateBy(text, Math.max(1, maxWidth / fontSize), charEm);
}

/** Left- or right-aligned in exactly `cells` cells (the text must already fit). */
export function padCells(text: string, cells: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, cells - monoWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}
