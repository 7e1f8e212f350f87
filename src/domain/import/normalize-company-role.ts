import { singleSpaced } from './cell-values.js';
import { headerKey } from './import-fields.js';
import type { CompanyLinkRecord } from './import-types.js';
import type { MappedCell, NormalizeContext, RowReader } from './normalize-common.js';

/** How the usual roles are written in English, Korean and Russian (compared like headers). */
const ROLE_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  director: ['director', 'ceo', '대표', '대표이사', 'директор', 'генеральный директор'],
  accountant: ['accountant', '회계', '회계 담당', 'бухгалтер'],
  lawyer: ['lawyer', '법무', '변호사', 'юрист'],
  buyer: ['buyer', '구매', '구매 담당', 'закупщик'],
};

/** What company-people.service.ts accepts after `custom:`: a non-space, then at most 59 more. */
const CUSTOM_ROLE_TEXT_MAX = 60;
const COMPANY_NAME_MAX = 200;
const TITLE_MAX = 120;

/**
 * A role from config (`companyRoles`) by id or synonym — a synonym counts only when its role is
 * configured — else `custom:<text>`, the form company-people.service.ts stores team-specific roles in.
 */
export function resolveRole(text: string, roles: readonly string[]): string | { reason: string } {
  const wanted = headerKey(text);
  const configured = roles.find((r) => headerKey(r) === wanted);
  if (configured) return configured;
  const synonym = roles.find((r) => ROLE_SYNONYMS[r]?.some((s) => headerKey(s) === wanted));
  if (synonym) return synonym;
  // Exports write a team-specific role as stored ("custom:site manager"): it comes back as is.
  const custom = singleSpaced(text).replace(/^custom:\s*/i, '');
  if (custom.length > CUSTOM_ROLE_TEXT_MAX) return { reason: `a role other than ${roles.join(', ')} may have at most ${CUSTOM_ROLE_TEXT_MAX} characters` };
  return `custom:${custom}`;
}

function readRole(reader: RowReader, cell: MappedCell | undefined, ctx: NormalizeContext): string | undefined {
  const given = cell ?? (ctx.defaults?.role ? { column: 'defaults.role', value: ctx.defaults.role } : undefined);
  if (!given) return undefined;
  const role = resolveRole(given.value, ctx.crm.companyRoles);
  if (typeof role === 'string') return role;
  reader.refuse(given.column, given.value, role.reason);
  return undefined;
}

/** The contact's company, role and job title; a role or title without a company is an issue. */
export function readCompanyLink(reader: RowReader, ctx: NormalizeContext): CompanyLinkRecord | undefined {
  const company = reader.one('company');
  const roleCell = reader.one('role');
  const titleCell = reader.one('title');
  if (!company) {
    for (const cell of [roleCell, titleCell]) if (cell) reader.refuse(cell.column, cell.value, 'a role or title needs a company; add the company name');
    return undefined;
  }
  const name = singleSpaced(company.value);
  if (name.length > COMPANY_NAME_MAX) reader.refuse(company.column, company.value, `the company name is longer than ${COMPANY_NAME_MAX} characters`);
  const role = readRole(reader, roleCell, ctx);
  const title = titleCell ? singleSpaced(titleCell.value) : undefined;
  if (titleCell && (title?.length ?? 0) > TITLE_MAX) reader.refuse(titleCell.column, titleCell.value, `a job title may have at most ${TITLE_MAX} characters`);
  return { name, ...(role ? { role } : {}), ...(title ? { title } : {}) };
}
