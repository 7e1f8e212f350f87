import { dateReason, parseCellDate } from './cell-dates.js';
import type { ColumnMapping, DealContactRecord, DealRecord, RowResult, SheetRow } from './import-types.js';
import { boundedText, resolveOwner, RowReader, type MappedCell, type NormalizeContext } from './normalize-common.js';
import { readAmount, readCurrency, readPipelineStage } from './normalize-deal-money.js';
import { readEmails, readName, readPhones } from './normalize-people.js';

export type { NormalizeContext } from './normalize-common.js';

/** The deal API's limits: title 200, lost reason 500; external ids are ours to bound. */
const TITLE_MAX = 200;
const EXTERNAL_ID_MAX = 100;
const LOST_REASON_MAX = 500;
const COMPANY_NAME_MAX = 200;

function readDate(reader: RowReader, cell: MappedCell | undefined): Date | undefined {
  if (!cell) return undefined;
  const parsed = parseCellDate(cell.value);
  if (!parsed) reader.refuse(cell.column, cell.value, dateReason(cell.value));
  return parsed?.date;
}

/** The deal's client from the contact columns, normalized like a contact row; none when all are empty. */
function readDealContact(reader: RowReader, ctx: NormalizeContext): DealContactRecord | undefined {
  const name = readName(reader, reader.one('contactName'));
  const emails = readEmails(reader, reader.all('contactEmail'));
  const phones = readPhones(reader, reader.all('contactPhone'), ctx);
  if (!name && !emails.length && !phones.length) return undefined;
  return { ...(name ? { name } : {}), emails, phones };
}

/**
 * One deal row with its pipeline, stage, currency and amount resolved against config, its client,
 * company, owner and dates. A row without a title is refused, like any row with an issue.
 */
export function normalizeDealRow(row: SheetRow, mapping: ColumnMapping, ctx: NormalizeContext): RowResult<DealRecord> {
  const reader = new RowReader(row, mapping);
  const titleCell = reader.one('title');
  if (!titleCell) reader.refuse(reader.columnOf('title'), '', 'the row has no deal title');
  const title = boundedText(reader, titleCell, TITLE_MAX, 'the title') ?? '';
  const externalId = boundedText(reader, reader.one('externalId'), EXTERNAL_ID_MAX, 'the deal id');
  const { pipeline, stage } = readPipelineStage(reader, ctx);
  const currency = readCurrency(reader, ctx, pipeline);
  const amountMinor = readAmount(reader, reader.one('amount'), currency);
  const contact = readDealContact(reader, ctx);
  const companyName = boundedText(reader, reader.one('company'), COMPANY_NAME_MAX, 'the company name');
  const ownerId = resolveOwner(reader, reader.one('owner'), ctx);
  const expectedCloseAt = readDate(reader, reader.one('expectedCloseAt'));
  const createdAt = readDate(reader, reader.one('createdAt'));
  const lostReason = boundedText(reader, reader.one('lostReason'), LOST_REASON_MAX, 'the lost reason');
  return reader.result({
    title,
    ...(externalId ? { externalId } : {}),
    pipelineId: pipeline?.id ?? '',
    stageId: stage?.id ?? '',
    amountMinor,
    currency: currency ?? '',
    ...(contact ? { contact } : {}),
    ...(companyName ? { companyName } : {}),
    ...(ownerId ? { ownerId } : {}),
    ...(expectedCloseAt ? { expectedCloseAt } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(lostReason ? { lostReason } : {}),
  });
}
