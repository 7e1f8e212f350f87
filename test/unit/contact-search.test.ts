import { describe, expect, it } from 'vitest';
import { contactQueryBranches, escapeRegex, normalizeSearchText } from '../../src/domain/contact-search.js';

const phonePattern = (q: string) => {
  const branch = contactQueryBranches(q).find((b) => 'phones' in b) as { phones: { $regex: string } } | undefined;
  return branch?.phones.$regex;
};
const matches = (q: string, value: string, field: 'searchName' | 'emails' | 'phones') =>
  contactQueryBranches(q).some((b) => {
    const cond = (b as Record<string, { $regex: string; $options?: string }>)[field];
    return cond ? new RegExp(cond.$regex, cond.$options).test(value) : false;
  });

describe('contact search normalizer', () => {
  it('lower-cases, trims and single-spaces, composing decomposed Hangul', () => {
    expect(normalizeSearchText('  Ann   LEE ')).toBe('ann lee');
    expect(normalizeSearchText('김민지'.normalize('NFD'))).toBe('김민지');
    expect(normalizeSearchText('ＡＢＣ')).toBe('abc');
  });

  it('escapes every regex metacharacter', () => {
    const nasty = '.*+?^${}()|[]\\';
    expect(new RegExp(`^${escapeRegex(nasty)}$`).test(nasty)).toBe(true);
    expect(new RegExp(escapeRegex('.*')).test('anything')).toBe(false);
  });

  it('matches part of a name, Korean included, case-insensitively', () => {
    expect(matches('민지', '김민지', 'searchName')).toBe(true);
    expect(matches('LEE', 'ann lee', 'searchName')).toBe(true);
    expect(matches('a.n', 'ann lee', 'searchName')).toBe(false);
  });

  it('matches part of an email', () => {
    expect(matches('Acme.COM', 'ann@acme.com', 'emails')).toBe(true);
    expect(matches('acme+com', 'ann@acme.com', 'emails')).toBe(false);
  });

  it('adds a phone branch only for phone-like queries with enough digits', () => {
    expect(phonePattern('ann')).toBeUndefined();
    expect(phonePattern('41')).toBeUndefined();
    expect(phonePattern('ann 415')).toBeUndefined();
    expect(phonePattern('5550132')).toBe('5550132');
    expect(phonePattern('(415) 555-0132')).toBe('4155550132');
  });

  it('anchors international queries at the country code and lets national ones drop the trunk 0', () => {
    expect(matches('+1 415', '+14155550132', 'phones')).toBe(true);
    expect(matches('+1 415', '+441415000000', 'phones')).toBe(false);
    expect(matches('010-1234', '+821012345678', 'phones')).toBe(true);
    expect(matches('020 7946', '+442079460958', 'phones')).toBe(true);
    expect(matches('555 0132', '+14155550132', 'phones')).toBe(true);
  });

  it('gives no branches for a blank query', () => {
    expect(contactQueryBranches('   ')).toEqual([]);
  });
});
