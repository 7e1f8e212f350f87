import type { ChartArea, ChartFonts } from './chart-layout.js';
import { INK, seriesColor } from './chart-palette.js';
import { svgRect, svgText } from './svg-builder.js';
import { textWidth, truncateToWidth } from './text-width.js';

/**
 * One row of legend items (colour swatch + label) across the top of `area`; returns the
 * elements and the height it took. Labels share the width evenly when they would not fit.
 */
export function legendRow(labels: string[], area: ChartArea, fonts: ChartFonts): { elements: string[]; height: number } {
  if (!labels.length) return { elements: [], height: 0 };
  const size = fonts.small;
  const swatch = size * 0.9;
  const gap = size * 1.4;
  const itemRoom = area.width / labels.length - swatch - size * 0.4 - gap;
  const elements: string[] = [];
  let x = area.x;
  const y = area.y + size / 2;
  labels.forEach((label, index) => {
    const text = truncateToWidth(label, Math.max(size * 2, itemRoom), size);
    elements.push(svgRect(x, y - swatch / 2, swatch, swatch, seriesColor(index), swatch / 5));
    elements.push(svgText(x + swatch + size * 0.4, y, text, { size, fill: INK.text }));
    x += swatch + size * 0.4 + Math.min(itemRoom, textWidth(text, size)) + gap;
  });
  return { elements, height: size * 1.8 };
}
