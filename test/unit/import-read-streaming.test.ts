import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openSheet } from '../../src/services/import/read/open-sheet.js';
import { contactRows, csvBytes, xlsxBytes } from '../support/import-fixtures.js';

const ROWS = 50_000;
const BLOCK = 1_000;

/**
 * A CSV file of ROWS generated contacts, produced block by block as it is read (the test never
 * holds the file), counting the bytes the reader has pulled so far.
 */
function generatedCsv(encoding: 'utf-8-bom' | 'cp949' = 'utf-8-bom'): { stream: Readable; pulled: () => number; total: () => number } {
  let pulled = 0;
  let total = 0;
  async function* blocks(): AsyncGenerator<Buffer> {
    for (let b = 0; b < ROWS / BLOCK; b++) {
      const rows = contactRows(BLOCK, b + 1).slice(b === 0 ? 0 : 1);
      // CP949 cannot write every generated character (Russian names): keep Korean and English ones.
      const kept = encoding === 'cp949' ? rows.map((r) => r.map((c) => c.replace(/[Ѐ-ӿ«»]/g, 'x'))) : rows;
      const bytes = Buffer.from(csvBytes(kept, { encoding: b === 0 ? encoding : encoding === 'utf-8-bom' ? 'utf-8' : encoding }));
      total += bytes.length;
      for (let i = 0; i < bytes.length; i += 16_384) {
        const chunk = bytes.subarray(i, i + 16_384);
        pulled += chunk.length;
        yield chunk;
      }
    }
  }
  return { stream: Readable.from(blocks(), { objectMode: false }), pulled: () => pulled, total: () => total };
}

describe('streaming', () => {
  it(`reads ${ROWS} CSV rows lazily: a paused consumer stops the reading, and memory stays bounded`, async () => {
    const file = generatedCsv();
    const before = process.memoryUsage().heapUsed;
    const opened = await openSheet(file.stream);
    expect(opened.header.cells).toEqual(['Name', 'Email', 'Phone', 'Company', 'Title', 'Tags']);
    const rows = opened.rows[Symbol.asyncIterator]();
    for (let i = 0; i < 100; i++) await rows.next();
    // The consumer now "writes a batch to the database": nothing more may be read meanwhile
    // beyond the sniffing sample and the streams' small internal buffers.
    await sleep(30);
    const pulledWhilePaused = file.pulled();
    expect(pulledWhilePaused).toBeLessThan(512 * 1024);
    let count = 100;
    let last = 0;
    let peak = 0;
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      count++;
      last = next.value.rowNumber;
      if (count % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(count).toBe(ROWS);
    expect(last).toBe(ROWS + 1);
    expect(file.total()).toBeGreaterThan(4_000_000);
    // The whole file as JS strings in row arrays would be several times its 4+ MB; a generous bound.
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });

  it('streams a CP949 file the same way (the decoder does not buffer the file)', async () => {
    const file = generatedCsv('cp949');
    const opened = await openSheet(file.stream);
    expect(opened.info.encoding).toBe('cp949');
    let count = 0;
    for await (const row of opened.rows) {
      count++;
      if (count === 10) expect(file.pulled()).toBeLessThan(512 * 1024);
      if (count === 1) expect(row.cells[0]).toMatch(/^[가-힣]+$|^[A-Za-z]+ [A-Za-z]+$|^x+ x+$/);
    }
    expect(count).toBe(ROWS);
  });

  it('stops reading the input when the consumer stops early', async () => {
    const file = generatedCsv();
    const opened = await openSheet(file.stream);
    for await (const row of opened.rows) if (row.rowNumber === 10) break;
    await sleep(30);
    expect(file.stream.destroyed).toBe(true);
    expect(file.pulled()).toBeLessThan(512 * 1024);
  });

  it('reads a 5,000-row XLSX workbook row by row', async () => {
    const rows = contactRows(5_000, 3);
    const bytes = await xlsxBytes(rows);
    const opened = await openSheet(Readable.from([Buffer.from(bytes)]));
    let count = 0;
    let last: string[] = [];
    for await (const row of opened.rows) {
      count++;
      last = row.cells;
    }
    expect(count).toBe(5_000);
    expect(last).toEqual(rows[5_000]!.slice(0, rows[5_000]![5] ? 6 : 5));
  });
});
