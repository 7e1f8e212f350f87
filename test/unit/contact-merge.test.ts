import { describe, expect, it } from 'vitest';
import { emptyMergeCounts, mergeSummaryText, survivorUpdate, type MergeableContact } from '../../src/domain/contact-merge.js';

const contact = (over: Partial<MergeableContact> = {}): MergeableContact => ({ emails: [], phones: [], tags: [], identities: [], lifecycle: 'contact', customFields: {}, ...over });

describe('survivorUpdate', () => {
  it('unions lists and fills only what the survivor lacks', () => {
    const survivor = contact({ name: 'Ann Kim', emails: ['ann@x.test'], tags: ['vip'], customFields: { budget: 5000, need: '' } });
    const duplicate = contact({
      name: 'Ann K.',
      emails: ['ann@x.test', 'ann@work.test'],
      phones: ['+14155550132'],
      tags: ['webchat'],
      identities: [{ inboxId: 'website', externalId: 'v1' }],
      ownerId: 'u1',
      locale: 'ko',
      lifecycle: 'lead',
      customFields: { budget: 10, need: 'windows', industry: 'retail' },
      lastContactedAt: new Date('2026-11-01T00:00:00Z'),
    });
    expect(survivorUpdate(survivor, duplicate)).toEqual({
      $set: { ownerId: 'u1', locale: 'ko', lifecycle: 'lead', 'customFields.need': 'windows', 'customFields.industry': 'retail' },
      $addToSet: {
        emails: { $each: ['ann@x.test', 'ann@work.test'] },
        phones: { $each: ['+14155550132'] },
        tags: { $each: ['webchat'] },
        identities: { $each: [{ inboxId: 'website', externalId: 'v1' }] },
      },
      $max: { lastContactedAt: new Date('2026-11-01T00:00:00Z') },
    });
  });

  it('takes the duplicate\'s name only when the survivor has none, and never lowers the lifecycle', () => {
    const update = survivorUpdate(contact({ lifecycle: 'customer' }), contact({ name: 'Ann  K.', lifecycle: 'lead' }));
    expect(update.$set).toEqual({ name: 'Ann  K.', searchName: 'ann k.' });
    expect(update.$addToSet).toEqual({});
  });
});

describe('mergeSummaryText', () => {
  it('names the merged contact and counts what moved, leaving out what did not', () => {
    const counts = { ...emptyMergeCounts(), identities: 2, conversations: 3, deals: 1, conversationsCombined: 1 };
    expect(mergeSummaryText({ id: 'abc', name: 'Ann K.' }, counts)).toBe("merged Ann K. (#abc) into this contact: 2 identities, 3 conversations, 1 deal, 1 open conversation combined with this contact's");
    expect(mergeSummaryText({ id: 'abc' }, emptyMergeCounts())).toBe('merged a contact (#abc) into this contact: nothing else to move');
  });
});
