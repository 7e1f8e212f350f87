import { compile, type FormatCallback } from 'html-to-text';

/** Longest text answered by default (the core's MAX_MESSAGE_TEXT). */
const DEFAULT_MAX_TEXT = 20_000;
/** HTML beyond this is not read: a newsletter's first 2 MB hold everything a person wrote. */
const MAX_HTML_INPUT = 2_000_000;
/** Deeper nesting is layout, not text, and would cost time (html-to-text walks recursively). */
const MAX_DEPTH = 200;

/** Links that would run something when clicked are shown as their text only. */
const UNSAFE_LINK = /^\s*(?:javascript|vbscript|data|file):/iu;

/**
 * Images: an inline one (`cid:`) or a data URL becomes `[image: name]`; a remote one only shows
 * its alt text, so tracking pixels leave nothing behind.
 */
const formatImage: FormatCallback = (elem, _walk, builder) => {
  const src = (elem.attribs?.src ?? '').trim();
  const alt = (elem.attribs?.alt ?? elem.attribs?.title ?? '').replace(/\s+/gu, ' ').trim();
  const cid = /^cid:(.+)$/iu.exec(src)?.[1];
  if (cid) {
    const named = (builder.metadata as ImageNames | undefined)?.get(decodeCid(cid));
    return builder.addInline(` [image: ${alt || named || decodeCid(cid).replace(/@.*$/u, '')}] `, { noWordTransform: true });
  }
  if (alt || /^data:/iu.test(src)) builder.addInline(` [image: ${alt || 'embedded'}] `, { noWordTransform: true });
};

function decodeCid(cid: string): string {
  try {
    return decodeURIComponent(cid).trim();
  } catch {
    return cid.trim();
  }
}

const skip = (selector: string) => ({ selector, format: 'skip' });
const heading = (selector: string) => ({ selector, options: { uppercase: false } });

const convert = compile({
  wordwrap: false,
  limits: { maxInputLength: MAX_HTML_INPUT + 1, maxDepth: MAX_DEPTH },
  formatters: { safeImage: formatImage },
  selectors: [
    { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true, pathRewrite: (href: string) => (UNSAFE_LINK.test(href) ? '' : href) } },
    { selector: 'img', format: 'safeImage' },
    ...['script', 'style', 'head', 'title', 'template', 'noscript', 'object', 'iframe', 'svg', 'canvas'].map(skip),
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map(heading),
    { selector: 'table', format: 'block' },
    { selector: 'td', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'th', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
  ],
});

/** Content-ID (without brackets) → the file name of that inline image. */
export type ImageNames = ReadonlyMap<string, string>;

/** How much text to answer, and what inline images are called. */
export interface HtmlToTextOptions {
  /** At most this many characters (default 20,000). */
  maxLength?: number;
  /** Names for `cid:` images; an image without one shows its alt text or Content-ID. */
  imageNames?: ImageNames;
}

/**
 * Reduces an email's HTML body to plain text a manager can read anywhere: links as
 * "text (url)", lists with bullets or numbers, paragraphs and line breaks kept, entities
 * decoded, script/style/head content dropped, inline images as "[image: name]". The answer is
 * never HTML markup from the document and at most `maxLength` characters (cut with "…").
 */
export function htmlToSafeText(html: string, options: HtmlToTextOptions = {}): string {
  if (!html) return '';
  const maxLength = options.maxLength ?? DEFAULT_MAX_TEXT;
  const text = convert(html.slice(0, MAX_HTML_INPUT), options.imageNames ?? new Map<string, string>())
    .replace(/\u00a0/gu, ' ')
    .replace(/[ \t]+$/gmu, '')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
  return text.length > maxLength ? `${text.slice(0, Math.max(0, maxLength - 1))}…` : text;
}
