import type { ColumnMapping, CompanyRecord, RowResult, SheetRow } from './import-types.js';
import { resolveOwner, RowReader, type MappedCell, type NormalizeContext } from './normalize-common.js';
import { readCompanyCustomFields } from './normalize-custom-fields.js';
import { readEmails, readName, readPhones, readTags } from './normalize-people.js';

export type { NormalizeContext } from './normalize-common.js';

/** The same rule as the company API's DomainField. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/u;

/**
 * A website cell as a bare domain: "https://www.Acme.com/contact" → "acme.com". The `www.` is
 * dropped so that the same company written with and without it is one company.
 */
export function domainOf(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//u, '')
    .replace(/[/?#].*$/u, '')
    .replace(/:\d+$/u, '')
    .replace(/^www\./u, '')
    .replace(/\.$/u, '');
}

function readDomain(reader: RowReader, cell: MappedCell | undefined): string | undefined {
  if (!cell) return undefined;
  const domain = domainOf(cell.value);
  if (DOMAIN.test(domain)) return domain;
  reader.refuse(cell.column, cell.value, 'is not a domain or website address such as acme.com');
  return undefined;
}

/** One company row in stored form; a row without a name is refused, like any row with an issue. */
export function normalizeCompanyRow(row: SheetRow, mapping: ColumnMapping, ctx: NormalizeContext): RowResult<CompanyRecord> {
  const reader = new RowReader(row, mapping);
  const nameCell = reader.one('name');
  if (!nameCell) reader.refuse(reader.columnOf('name'), '', 'the row has no company name');
  const name = readName(reader, nameCell) ?? '';
  const domain = readDomain(reader, reader.one('domain'));
  const emails = readEmails(reader, reader.all('emails'));
  const phones = readPhones(reader, reader.all('phones'), ctx);
  const tags = readTags(reader, reader.all('tags'));
  const ownerId = resolveOwner(reader, reader.one('owner'), ctx);
  const customFields = readCompanyCustomFields(reader);
  return reader.result({ name, ...(domain ? { domain } : {}), emails, phones, tags, ...(ownerId ? { ownerId } : {}), customFields });
}
