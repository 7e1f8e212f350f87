import { z } from 'zod';
import type { SheetRow } from '../../../domain/import/import-types.js';

/** How the file was read: what the import run records and shows. */
export interface SheetSourceInfo {
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'utf-16le' | 'cp949' | 'windows-1251';
  delimiter?: ',' | ';' | '\t';
  /** The worksheet read (XLSX only). */
  sheetName?: string;
}

/** Choices a person made that override detection. */
export const SheetReadOptionsSchema = z.object({
  /** Text encoding of a CSV file without a byte order mark; detected when absent. */
  encoding: z.enum(['utf-8', 'cp949', 'windows-1251']).optional(),
  /** Field separator of a CSV file; detected from the header line when absent. */
  delimiter: z.enum([',', ';', '\t']).optional(),
  /** XLSX worksheet name; the first worksheet when absent. */
  sheet: z.string().min(1).optional(),
});
/** Choices a person made that override detection (see {@link SheetReadOptionsSchema}). */
export type SheetReadOptions = z.infer<typeof SheetReadOptionsSchema>;

/** A file opened for reading: its header, then its data rows, read lazily one at a time. */
export interface OpenedSheet {
  info: SheetSourceInfo;
  header: SheetRow;
  /** Data rows after the header; blank rows are left out (their numbers are skipped). Read once. */
  rows: AsyncIterable<SheetRow>;
}

/** A row holds nothing but empty or blank cells: spreadsheets show it as an empty line. */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
