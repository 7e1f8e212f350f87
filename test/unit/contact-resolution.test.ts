import { describe, expect, it } from 'vitest';
import { contactLookupOrder, displayNameFor, identityKey } from '../../src/domain/contact-resolution.js';
import { toE164 } from '../../src/domain/phone.js';

describe('contact resolution rules', () => {
  it('tries the inbox identity first, then email, then phone', () => {
    expect(contactLookupOrder('tg', { externalId: '42', email: 'Ann@Example.com', phone: '+1 (415) 555-0132' })).toEqual([
      { kind: 'identity', key: 'tg:42' },
      { kind: 'email', email: 'ann@example.com' },
      { kind: 'phone', phone: '+14155550132' },
    ]);
  });

  it('uses only the identity when nothing else is known', () => {
    expect(contactLookupOrder('website', { externalId: 'v_1' })).toEqual([{ kind: 'identity', key: 'website:v_1' }]);
  });

  it('never matches on an invalid phone number', () => {
    expect(contactLookupOrder('tg', { externalId: '1', phone: 'call me' })).toHaveLength(1);
    expect(contactLookupOrder('tg', { externalId: '1', phone: '12' })).toHaveLength(1);
  });

  it('reads national numbers in the configured default country', () => {
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(toE164('020 7946 0958')).toBeNull();
    expect(contactLookupOrder('tg', { externalId: '1', phone: '8 (912) 345-67-89' }, 'RU')[1]).toEqual({ kind: 'phone', phone: '+79123456789' });
  });

  it('keeps identities of different inboxes apart', () => {
    expect(identityKey('tg', '42')).not.toBe(identityKey('discord', '42'));
  });

  it('names a new contact by name, else username, else email', () => {
    expect(displayNameFor({ externalId: '1', name: 'Ann', username: 'ann_l' })).toBe('Ann');
    expect(displayNameFor({ externalId: '1', username: 'ann_l' })).toBe('ann_l');
    expect(displayNameFor({ externalId: '1', email: 'a@b.co' })).toBe('a@b.co');
    expect(displayNameFor({ externalId: '1' })).toBeUndefined();
  });
});
