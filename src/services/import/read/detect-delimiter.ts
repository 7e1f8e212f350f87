/** Field separators a CSV file may use. */
export type Delimiter = ',' | ';' | '\t';

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t'];

/**
 * Picks the separator used most often on the header line (the first line with any text; blank
 * lines and lines of bare separators come before it), counting only outside double quotes.
 * A tie or a one-column header means comma, the CSV default.
 */
export function detectDelimiter(text: string): Delimiter {
  let counts = zeroCounts();
  let inQuotes = false;
  let lineHasText = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuotes = !inQuotes;
      lineHasText = true;
    } else if (inQuotes) {
      lineHasText = true;
    } else if (ch === '\n' || ch === '\r') {
      if (lineHasText) break;
      counts = zeroCounts();
    } else if (counts.has(ch)) {
      counts.set(ch, counts.get(ch)! + 1);
    } else if (ch.trim() !== '' && ch !== '\uFEFF') {
      lineHasText = true;
    }
  }
  let best: Delimiter = ',';
  for (const d of CANDIDATES) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

function zeroCounts(): Map<string, number> {
  return new Map(CANDIDATES.map((d) => [d, 0]));
}
