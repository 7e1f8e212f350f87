import { AppError } from '../../../domain/errors.js';

/**
 * The uploaded file cannot be read as a spreadsheet at all (wrong format, damaged, empty, a quote
 * that never closes). The message tells a person what to do with the file; `details.row` names
 * the row when the problem has one.
 */
export class UnreadableFileError extends AppError {
  constructor(message: string, details?: { row?: number; sheets?: string[] }) {
    super('unreadable_file', message, details);
  }
}
