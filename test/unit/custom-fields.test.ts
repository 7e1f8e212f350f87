import { describe, expect, it } from 'vitest';
import type { CustomField } from '../../src/config/crm.schema.js';
import { customFieldUpdate, validateCustomFields } from '../../src/domain/custom-fields.js';
import { ValidationError } from '../../src/domain/errors.js';

const FIELDS: CustomField[] = [
  { key: 'need', label: 'Need', type: 'text' },
  { key: 'budget', label: 'Budget', type: 'number' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
  { key: 'since', label: 'Since', type: 'date' },
  { key: 'industry', label: 'Industry', type: 'select', options: ['retail', 'other'] },
];

function problems(input: Record<string, unknown>): string[] {
  try {
    validateCustomFields(FIELDS, input);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return ((err as ValidationError).details as Array<{ path: string }>).map((d) => d.path);
  }
}

describe('custom field validation', () => {
  it('accepts values of each declared type, and null to clear', () => {
    const input = { need: 'windows', budget: 1200.5, vip: false, since: '2026-03-01', industry: 'retail' };
    expect(validateCustomFields(FIELDS, input)).toEqual(input);
    expect(validateCustomFields(FIELDS, { since: '2026-03-01T10:00:00Z', budget: null })).toEqual({ since: '2026-03-01T10:00:00Z', budget: null });
  });

  it('names unknown keys, including operator-looking ones', () => {
    expect(problems({ shoeSize: 42, $gt: '', 'need.x': 'a' })).toEqual(['customFields.shoeSize', 'customFields.$gt', 'customFields.need.x']);
  });

  it('names values of the wrong type', () => {
    const table: Array<[string, unknown]> = [
      ['need', 42],
      ['need', 'x'.repeat(2_001)],
      ['need', { $gt: '' }],
      ['budget', '100'],
      ['budget', Number.NaN],
      ['vip', 'yes'],
      ['since', 'next tuesday'],
      ['since', '2026-13-45'],
      ['industry', 'aerospace'],
    ];
    for (const [key, value] of table) expect(problems({ [key]: value }), `${key}=${String(value)}`).toEqual([`customFields.${key}`]);
  });

  it('turns values into $set and nulls into $unset', () => {
    expect(customFieldUpdate({ need: 'a', budget: null })).toEqual({ $set: { 'customFields.need': 'a' }, $unset: { 'customFields.budget': '' } });
  });
});
