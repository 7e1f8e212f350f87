import { describe, expect, it } from 'vitest';
import { normalizeMessageId, parseReferences } from '../../channels/email/email-message-id.js';

describe('normalizeMessageId', () => {
  it('strips the angle brackets and spaces and keeps the case', () => {
    expect(normalizeMessageId('<Abc@X.com>')).toBe('Abc@X.com');
    expect(normalizeMessageId('  <CAF=k9+Tz_w@mail.gmail.com>  ')).toBe('CAF=k9+Tz_w@mail.gmail.com');
    expect(normalizeMessageId('no-brackets@host.test')).toBe('no-brackets@host.test');
  });

  it('takes the id and drops a trailing comment', () => {
    expect(normalizeMessageId('<a1@host.test> (added by a gateway)')).toBe('a1@host.test');
  });

  it.each([
    ['an empty value', ''],
    ['empty brackets', '<>'],
    ['spaces inside', '<two words@host.test>'],
    ['a control character', '<a\u0001b@host.test>'],
    ['a stray bracket', 'a<b@host.test'],
    ['more than 500 characters', `<${'x'.repeat(495)}@host.test>`],
    ['undefined', undefined],
  ])('rejects %s', (_what, raw) => {
    expect(normalizeMessageId(raw)).toBeUndefined();
  });
});

describe('parseReferences', () => {
  it('lists the ids in the order written, without duplicates', () => {
    expect(parseReferences('<a@x.test> <b@x.test>\r\n <c@x.test> <a@x.test>')).toEqual(['a@x.test', 'b@x.test', 'c@x.test']);
  });

  it('reads ids written without spaces between them or without brackets', () => {
    expect(parseReferences('<a@x.test><b@x.test>')).toEqual(['a@x.test', 'b@x.test']);
    expect(parseReferences('a@x.test, b@x.test')).toEqual(['a@x.test', 'b@x.test']);
  });

  it('joins the values of a repeated header and skips junk', () => {
    expect(parseReferences(['<a@x.test>', '<bad id@x.test> <b@x.test>'])).toEqual(['a@x.test', 'b@x.test']);
    expect(parseReferences(undefined)).toEqual([]);
    expect(parseReferences('   ')).toEqual([]);
  });
});
