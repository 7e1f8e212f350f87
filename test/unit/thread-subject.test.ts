import { describe, expect, it } from 'vitest';
import { isReplySubject, threadSubjectKey } from '../../src/domain/thread-subject.js';

describe('threadSubjectKey', () => {
  it('removes reply and forward prefixes in the languages customers write in', () => {
    for (const subject of ['Re: Pricing', 'RE: Re: Pricing', 'Fwd: pricing', 'FW:Pricing', 'AW: Pricing', 'RE[2]: Pricing', 'Ответ: Pricing', 'Отв: Pricing', '답장: Pricing', '회신: Pricing', '回复：Pricing', '  re :  Pricing  ']) {
      expect(threadSubjectKey(subject), subject).toBe('pricing');
    }
  });

  it('keeps the words that matter, list tags included, and collapses spaces', () => {
    expect(threadSubjectKey('[ACME]  Invoice   #42')).toBe('[acme] invoice #42');
    expect(threadSubjectKey('Regarding the invoice')).toBe('regarding the invoice');
    expect(threadSubjectKey('견적 문의')).toBe('견적 문의');
  });

  it('gives nothing for subjects that say nothing', () => {
    for (const subject of [undefined, '', '   ', 'Re:', 'RE: re:', '(no subject)', 'Re: (No Subject)']) expect(threadSubjectKey(subject), String(subject)).toBeUndefined();
  });
});

describe('threadSubjectKey (the cases mail clients produce)', () => {
  it.each([
    ['Re: Pricing', 'pricing'],
    ['RE: FW: Fwd: re: Pricing', 'pricing'],
    ['AW: WG: Angebot', 'angebot'],
    ['SV: Antw: Offer', 'offer'],
    ['Ответ: Отв: Счёт', 'счёт'],
    ['RE[2]: Re(3): Pricing', 'pricing'],
    ['답장: 회신: 전달: 견적 문의', '견적 문의'],
    ['回复：转发: 报价', '报价'],
    ['  Re:   Big    order  ', 'big order'],
  ])('"%s" → "%s"', (subject, expected) => {
    expect(threadSubjectKey(subject)).toBe(expected);
  });

  it('keeps list tags, also when a prefix comes before or after them', () => {
    expect(threadSubjectKey('[ACME] Pricing')).toBe('[acme] pricing');
    expect(threadSubjectKey('Re: [ACME] Re: Pricing')).toBe('[acme] pricing');
    expect(threadSubjectKey('[ACME] Re: Pricing')).toBe(threadSubjectKey('[ACME] Pricing'));
  });

  it('does not take a word that merely starts like a prefix for one', () => {
    expect(threadSubjectKey('Review: Q4 plan')).toBe('review: q4 plan');
    expect(threadSubjectKey('Reorder 25 seats')).toBe('reorder 25 seats');
  });

});

describe('isReplySubject', () => {
  it('tells a reply or forward from a fresh subject', () => {
    for (const s of ['Re: Order', 'AW: Order', '[ACME] Re: Order', '답장: 주문', 'Fwd: Order']) expect(isReplySubject(s), s).toBe(true);
    for (const s of ['Order', '[ACME] Order', '  Order  ', 'Regarding the order', '', undefined, 'Re:']) expect(isReplySubject(s), String(s)).toBe(false);
  });
});
