/**
 * Tiny SVG string helpers. Every piece of text goes through `escapeXml`, because labels come
 * from user data (deal titles, manager names, UTM campaigns) and would otherwise close the
 * <text> element or break the XML the rasteriser parses.
 */

/** Characters XML 1.0 forbids (controls other than tab/newline/return, lone surrogates, U+FFFE/FFFF). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Emoji and their joiners: the chart font has no glyphs for them (they would draw as boxes). */
const PICTOGRAPHS = /[\u{1F000}-\u{1FAFF}]|\u200d|\ufe0f/gu;

/**
 * One line of label text: control characters and line breaks become spaces, runs of space
 * collapse, emoji are left out.
 */
export function cleanLabel(text: string): string {
  return text.replace(NOT_XML, ' ').replace(PICTOGRAPHS, '').replace(/\s+/g, ' ').trim();
}

/** Text safe inside an XML element or a double-quoted attribute. */
function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A number as an SVG coordinate: at most one decimal, never "NaN". */
export function n(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

export interface TextStyle {
  size: number;
  fill?: string;
  weight?: 'normal' | 'bold';
  anchor?: 'start' | 'middle' | 'end';
  /** Vertical placement of `y`: the text's middle (default) or its baseline. */
  baseline?: 'middle' | 'alphabetic';
}

/** A <text> element; `content` is escaped here. */
export function svgText(x: number, y: number, content: string, style: TextStyle): string {
  const attrs = [
    `x="${n(x)}"`,
    `y="${n(y)}"`,
    `font-size="${n(style.size)}"`,
    `fill="${style.fill ?? '#1f2933'}"`,
    style.weight === 'bold' ? 'font-weight="700"' : '',
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    (style.baseline ?? 'middle') === 'middle' ? 'dominant-baseline="central"' : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

/** A filled rectangle (negative sizes are normalised). */
export function svgRect(x: number, y: number, width: number, height: number, fill: string, radius = 0): string {
  const left = width < 0 ? x + width : x;
  const top = height < 0 ? y + height : y;
  const round = radius > 0 ? ` rx="${n(radius)}"` : '';
  return `<rect x="${n(left)}" y="${n(top)}" width="${n(Math.abs(width))}" height="${n(Math.abs(height))}" fill="${fill}"${round}/>`;
}

/** A straight line. */
export function svgLine(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${n(width)}"/>`;
}

/** A polyline through `points`. */
export function svgPolyline(points: Array<[number, number]>, stroke: string, width: number): string {
  const list = points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ');
  return `<polyline points="${list}" fill="none" stroke="${stroke}" stroke-width="${n(width)}" stroke-linejoin="round" stroke-linecap="round"/>`;
}

/** A filled circle. */
export function svgCircle(cx: number, cy: number, r: number, fill: string): string {
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${fill}"/>`;
}

/** A closed polygon. */
export function svgPolygon(points: Array<[number, number]>, fill: string): string {
  return `<polygon points="${points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="${fill}"/>`;
}

/** The whole document: white background, the chart font, then `body`. */
export function svgDocument(width: number, height: number, fontFamily: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(fontFamily)}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}
