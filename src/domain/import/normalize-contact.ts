import { headerKey } from './import-fields.js';
import type { ColumnMapping, ContactRecord, RowResult, SheetRow } from './import-types.js';
import { boundedText, resolveOwner, RowReader, type MappedCell, type NormalizeContext } from './normalize-common.js';
import { readCompanyLink } from './normalize-company-role.js';
import { readContactCustomFields } from './normalize-custom-fields.js';
import { composeName, IMPORT_LIMITS, readEmails, readName, readPhones, readTags } from './normalize-people.js';

export type { NormalizeContext } from './normalize-common.js';

type Lifecycle = NonNullable<ContactRecord['lifecycle']>;

const LIFECYCLE_SYNONYMS: Readonly<Record<Lifecycle, readonly string[]>> = {
  contact: ['contact', '연락처', 'контакт'],
  lead: ['lead', '리드', 'лид'],
  customer: ['customer', 'client', '고객', 'клиент'],
};
/** utm.source of a contact's source holds at most 200 characters. */
const SOURCE_MAX = 200;

function readLifecycle(reader: RowReader, cell: MappedCell | undefined): Lifecycle | undefined {
  if (!cell) return undefined;
  const wanted = headerKey(cell.value);
  const found = (Object.keys(LIFECYCLE_SYNONYMS) as Lifecycle[]).find((l) => LIFECYCLE_SYNONYMS[l].some((s) => headerKey(s) === wanted));
  if (!found) reader.refuse(cell.column, cell.value, 'is not a lifecycle stage; use contact, lead or customer (연락처, 리드, 고객; контакт, лид, клиент)');
  return found;
}

/** The name column, else first and last name composed (see composeName). */
function readContactName(reader: RowReader): string | undefined {
  const full = reader.one('name');
  if (full) return readName(reader, full);
  const first = readName(reader, reader.one('firstName'));
  const last = readName(reader, reader.one('lastName'));
  const composed = composeName(first, last);
  if (!composed || composed.length <= IMPORT_LIMITS.name) return composed;
  reader.refuse(reader.columnOf('firstName'), `${first ?? ''} ${last ?? ''}`.trim(), `the name is longer than ${IMPORT_LIMITS.name} characters`);
  return undefined;
}

/**
 * One contact row in stored form: name (or first + last), emails, E.164 phones, company link,
 * tags, owner, lifecycle, source and custom fields. Every refused value is an issue; a row with
 * any issue is refused whole, and so is a row without a name, an email or a phone.
 */
export function normalizeContactRow(row: SheetRow, mapping: ColumnMapping, ctx: NormalizeContext): RowResult<ContactRecord> {
  const reader = new RowReader(row, mapping);
  const name = readContactName(reader);
  const emails = readEmails(reader, reader.all('emails'));
  const phones = readPhones(reader, reader.all('phones'), ctx);
  const company = readCompanyLink(reader, ctx);
  const tags = readTags(reader, reader.all('tags'));
  const ownerId = resolveOwner(reader, reader.one('owner'), ctx);
  const lifecycle = readLifecycle(reader, reader.one('lifecycle'));
  const sourceLabel = boundedText(reader, reader.one('source'), SOURCE_MAX, 'the source');
  const customFields = readContactCustomFields(reader, ctx.crm.contactFields);
  const given = [reader.one('name'), reader.one('firstName'), reader.one('lastName'), ...reader.all('emails'), ...reader.all('phones')];
  if (!given.some(Boolean)) reader.refuse(reader.columnOf('name'), '', 'the row has no name, email or phone; a contact needs at least one of them');
  return reader.result({
    ...(name ? { name } : {}),
    emails,
    phones,
    ...(company ? { company } : {}),
    tags,
    ...(ownerId ? { ownerId } : {}),
    ...(lifecycle ? { lifecycle } : {}),
    ...(sourceLabel ? { sourceLabel } : {}),
    customFields,
  });
}
