/** What a `chart` desk post carries in the outbox: the PNG (base64), its file name and title, and the table text. */
export interface ChartPostPayload {
  png: string;
  filename: string;
  title: string;
  /** The compact table (a ``` block) that goes under the image. */
  text: string;
}

/** A chart as a desk poster sends it: the image bytes and the texts. */
export interface DeskChart {
  png: Buffer;
  filename: string;
  title: string;
  text: string;
}

/** The outbox payload of a chart post. */
export function chartPostPayload(chart: DeskChart): ChartPostPayload {
  return { png: chart.png.toString('base64'), filename: chart.filename, title: chart.title, text: chart.text };
}

/** A chart post's payload read back from the outbox; null when it carries no image (nothing to send). */
export function readChartPayload(payload: Record<string, unknown>): DeskChart | null {
  const { png, filename, title, text } = payload;
  if (typeof png !== 'string' || png.length === 0) return null;
  const name = typeof filename === 'string' && filename ? filename : 'chart.png';
  return { png: Buffer.from(png, 'base64'), filename: name, title: typeof title === 'string' && title ? title : name, text: typeof text === 'string' ? text : '' };
}
