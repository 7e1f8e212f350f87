import type { ReportResult } from '../../../domain/reports/report-result.js';
import { INK } from './chart-palette.js';
import { cleanLabel, svgText } from './svg-builder.js';
import { truncateToWidth } from './text-width.js';

/** A rectangle of the image, in px. */
export interface ChartArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Font sizes of a chart, scaled to its image. */
export interface ChartFonts {
  title: number;
  subtitle: number;
  label: number;
  value: number;
  small: number;
}

/**
 * The frame every chart shares — title, subtitle, notes and footer — and the plot area left
 * for the chart itself. Sizes scale with the image (960×540 is 1:1).
 */
export interface ChartFrame {
  width: number;
  height: number;
  scale: number;
  fonts: ChartFonts;
  plot: ChartArea;
  /** SVG elements of the frame (title, subtitle, notes, footer). */
  elements: string[];
}

/** The most note lines drawn under a chart; the desk table carries them all. */
const MAX_NOTE_LINES = 2;

/** "28 Nov 2026, 10:00" in the report's time zone (UTC when the zone is unknown). */
function generatedLabel(generatedAt: string, timeZone: string): string {
  const at = new Date(generatedAt);
  if (Number.isNaN(at.getTime())) return cleanLabel(generatedAt);
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(at);
  } catch (_unknownZone) {
    // An IANA name this runtime does not know: still say when, in UTC.
    return `${new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).format(at)} UTC`;
  }
}

/** "Last month (Nov 2026) · Asia/Seoul", or the zone alone for a report without a period. */
function subtitleText(result: ReportResult): string {
  const zone = cleanLabel(result.timeZone);
  return result.period ? `${cleanLabel(result.period.label)} · ${zone}` : zone;
}

/** Lays out the title, subtitle, notes and footer of `result` on an image of `width`×`height`. */
export function chartFrame(result: ReportResult, width: number, height: number): ChartFrame {
  const scale = Math.min(width / 960, height / 540);
  const font = (px: number, min: number): number => Math.max(min, px * scale);
  const fonts: ChartFonts = { title: font(24, 12), subtitle: font(15, 9), label: font(14, 8), value: font(13, 8), small: font(12, 7) };
  const pad = Math.max(8, 28 * scale);
  const textRoom = width - 2 * pad;
  const elements: string[] = [];

  const titleY = pad + fonts.title / 2;
  elements.push(svgText(pad, titleY, truncateToWidth(cleanLabel(result.report.name), textRoom, fonts.title), { size: fonts.title, weight: 'bold', fill: INK.title }));
  const subtitleY = titleY + fonts.title * 0.6 + fonts.subtitle * 1.1;
  elements.push(svgText(pad, subtitleY, truncateToWidth(subtitleText(result), textRoom, fonts.subtitle), { size: fonts.subtitle, fill: INK.muted }));

  const footerY = height - pad / 2 - fonts.small / 2;
  const footer = `Switchboard · generated ${generatedLabel(result.generatedAt, result.timeZone)}`;
  elements.push(svgText(width - pad, footerY, truncateToWidth(footer, textRoom, fonts.small), { size: fonts.small, fill: INK.faint, anchor: 'end' }));

  const notes = result.notes.map(cleanLabel).filter(Boolean).slice(0, MAX_NOTE_LINES);
  let bottom = footerY - fonts.small * 1.2;
  for (const note of [...notes].reverse()) {
    elements.push(svgText(pad, bottom, truncateToWidth(`* ${note}`, textRoom, fonts.small), { size: fonts.small, fill: INK.muted }));
    bottom -= fonts.small * 1.4;
  }

  const top = subtitleY + fonts.subtitle + 12 * scale;
  const plotBottom = bottom - 6 * scale;
  return { width, height, scale, fonts, plot: { x: pad, y: top, width: textRoom, height: Math.max(10, plotBottom - top) }, elements };
}
