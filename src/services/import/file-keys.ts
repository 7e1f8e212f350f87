/**
 * The dedupe keys (`e:<email>`, `p:<phone>`, …) of the rows read so far in one file, each with
 * the first row that used it. Grows with the file's distinct keys (a few MB for 50,000 rows),
 * never with the rows themselves.
 */
export class FileKeys {
  private readonly firstRow = new Map<string, number>();

  /**
   * The earlier row that used any of `keys` (with that key), or undefined — in which case all
   * of them now belong to `row`.
   */
  claim(keys: readonly string[], row: number): { row: number; key: string } | undefined {
    for (const key of keys) {
      const earlier = this.firstRow.get(key);
      if (earlier !== undefined && earlier !== row) return { row: earlier, key };
    }
    for (const key of keys) this.firstRow.set(key, row);
    return undefined;
  }
}

