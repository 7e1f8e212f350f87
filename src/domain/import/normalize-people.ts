import { z } from 'zod';
import { toE164 } from '../phone.js';
import { EMAIL_SEPARATORS, LIST_SEPARATORS, PHONE_SEPARATORS, singleSpaced, splitCell } from './cell-values.js';
import type { MappedCell, NormalizeContext, RowReader } from './normalize-common.js';

/** The limits of the contact and company API (src/services/crm/contact-fields.ts), as numbers. */
export const IMPORT_LIMITS = { name: 200, email: 254, emails: 20, phones: 20, tag: 50, tags: 50 } as const;

const Email = z.email();
const HANGUL = /\p{Script=Hangul}/u;

/** A name trimmed and single-spaced, or undefined with an issue when longer than 200 characters. */
export function readName(reader: RowReader, cell: MappedCell | undefined): string | undefined {
  if (!cell) return undefined;
  const name = singleSpaced(cell.value);
  if (name.length <= IMPORT_LIMITS.name) return name;
  reader.refuse(cell.column, cell.value, `the name is longer than ${IMPORT_LIMITS.name} characters`);
  return undefined;
}

/**
 * A full name from first and last name columns. Korean names are written family name first
 * without a space (김 + 민준 → 김민준); Latin and Cyrillic ones given name first
 * (Иван + Петров → "Иван Петров"), the order people use when addressing a client in a CRM —
 * "Петров Иван" is the order of official lists, not of conversation.
 */
export function composeName(first: string | undefined, last: string | undefined): string | undefined {
  if (!first || !last) return first ?? last;
  if (HANGUL.test(first) && HANGUL.test(last)) return `${last}${first}`;
  return `${first} ${last}`;
}

/** Lower-cased, unique, valid emails of the cells (split on `;` `,` and spaces), at most 20. */
export function readEmails(reader: RowReader, cells: readonly MappedCell[]): string[] {
  const out = new Set<string>();
  for (const cell of cells) {
    for (const part of splitCell(cell.value, EMAIL_SEPARATORS)) {
      const email = part.toLowerCase();
      if (email.length <= IMPORT_LIMITS.email && Email.safeParse(email).success) out.add(email);
      else reader.refuse(cell.column, cell.value, `"${part}" is not a valid email address`);
    }
  }
  return limitCount(reader, cells, [...out], IMPORT_LIMITS.emails, 'email addresses');
}

/**
 * A phone in E.164, read in the default region. Excel stores "010-1234-5678" typed as a number as
 * 1012345678: when a bare national number does not parse, the lost leading 0 is put back.
 */
export function phoneToE164(text: string, ctx: Pick<NormalizeContext, 'defaultCountry'>): string | null {
  const e164 = toE164(text, ctx.defaultCountry);
  if (e164 || !/^\d+$/u.test(text)) return e164;
  return toE164(`0${text}`, ctx.defaultCountry);
}

/** Unique E.164 phones of the cells (split on `;` `,` `/` and line breaks), at most 20. */
/** Why a phone was refused; without a default country, every national number is, so say how to set one. */
function phoneReason(part: string, ctx: NormalizeContext): string {
  if (ctx.defaultCountry) return `"${part}" is not a valid phone number in ${ctx.defaultCountry}; write a foreign number with its country code, such as +82 10 1234 5678`;
  if (part.trim().startsWith('+')) return `"${part}" is not a valid phone number`;
  return `"${part}" has no country code and no default country is set: write it as +82 10 1234 5678, or set "defaultPhoneCountry" (e.g. "KR") in config/switchboard.json`;
}

export function readPhones(reader: RowReader, cells: readonly MappedCell[], ctx: NormalizeContext): string[] {
  const out = new Set<string>();
  for (const cell of cells) {
    for (const part of splitCell(cell.value, PHONE_SEPARATORS)) {
      const e164 = phoneToE164(part, ctx);
      if (e164) out.add(e164);
      else reader.refuse(cell.column, cell.value, phoneReason(part, ctx));
    }
  }
  return limitCount(reader, cells, [...out], IMPORT_LIMITS.phones, 'phone numbers');
}

/** Unique tags of the cells (split on `;` `,` and line breaks), each at most 50 characters, at most 50. */
export function readTags(reader: RowReader, cells: readonly MappedCell[]): string[] {
  const out = new Set<string>();
  for (const cell of cells) {
    for (const part of splitCell(cell.value, LIST_SEPARATORS)) {
      const tag = singleSpaced(part);
      if (tag.length <= IMPORT_LIMITS.tag) out.add(tag);
      else reader.refuse(cell.column, cell.value, `the tag "${tag}" is longer than ${IMPORT_LIMITS.tag} characters`);
    }
  }
  return limitCount(reader, cells, [...out], IMPORT_LIMITS.tags, 'tags');
}

function limitCount(reader: RowReader, cells: readonly MappedCell[], values: string[], max: number, what: string): string[] {
  if (values.length <= max) return values;
  const [first] = cells;
  reader.refuse(first?.column ?? '', cells.map((c) => c.value).join('\n'), `${values.length} ${what} in one row; at most ${max} are allowed`);
  return [];
}
