/** Colours of the report charts: series colours tell groups apart, the rest stays quiet. */

/** Series colours, in order (distinct for the common forms of colour blindness). */
export const SERIES_COLORS = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#0ea5e9', '#d946ef', '#84cc16'] as const;

/** The colour of series `index` (cycles past the end of the list). */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? SERIES_COLORS[0];
}

export const INK = {
  title: '#111827',
  text: '#1f2933',
  muted: '#6b7280',
  faint: '#9ca3af',
  grid: '#e5e7eb',
  axis: '#9ca3af',
  stripe: '#f3f4f6',
  headerFill: '#e5e7eb',
} as const;
