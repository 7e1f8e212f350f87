import { describe, expect, it } from 'vitest';
import { compileFaq, FaqEntrySchema, matchFaq, type FaqEntry } from '../../src/domain/faq.js';

const entries: FaqEntry[] = [
  { id: 'price-en', language: 'en', keywords: ['price', 'prices', 'cost', 'how much', 'quote'], answer: 'From $290 per m².' },
  { id: 'price-ko', language: 'ko', keywords: ['가격', '비용', '얼마', '견적'], answer: '제곱미터당 29만 원부터입니다.' },
  { id: 'hours-en', language: 'en', patterns: ['\\b(open|opening|working) hours\\b', '\\bwhen are you open\\b'], answer: 'Mon–Fri 9–18.' },
  { id: 'hours-ko', language: 'ko', keywords: ['영업시간', '운영시간', '몇 시'], answer: '평일 9시–18시.' },
  { id: 'install-en', language: 'en', keywords: ['install', 'installation', 'cost'], answer: 'Installation is included.' },
].map((entry) => FaqEntrySchema.parse(entry));

const faq = compileFaq(entries);
const idOf = (text: string, language: string) => faq(text, language)?.id ?? null;

describe('FAQ matching', () => {
  it('answers an English question by its keywords', () => {
    expect(idOf('Hi! How much would 3 windows COST?', 'en')).toBe('price-en');
  });

  it('answers a Korean question whose keywords carry particles', () => {
    expect(idOf('창문 가격이 얼마예요?', 'ko')).toBe('price-ko');
    expect(idOf('토요일에도   몇 시까지 하나요', 'ko')).toBe('hours-ko');
  });

  it('matches English keywords only as whole words', () => {
    expect(idOf('Your service is priceless', 'en')).toBeNull();
    expect(idOf('Any prices online?', 'en')).toBe('price-en');
  });

  it('ranks a pattern above any number of keywords', () => {
    expect(idOf('What is the price and cost, and what are your opening hours?', 'en')).toBe('hours-en');
    expect(idOf('When are you open?', 'en')).toBe('hours-en');
  });

  it('picks the entry with the most distinct keywords, and the first listed on a tie', () => {
    expect(idOf('cost of installation', 'en')).toBe('install-en');
    expect(idOf('what does it cost', 'en')).toBe('price-en');
    expect(idOf('price price price, install and installation', 'en')).toBe('install-en');
  });

  it('ignores entries in other languages', () => {
    expect(idOf('가격이 얼마예요?', 'en')).toBeNull();
    expect(idOf('what is the price', 'ko')).toBeNull();
  });

  it('returns null when nothing matches', () => {
    expect(idOf('Do you deliver to Busan?', 'en')).toBeNull();
    expect(idOf('', 'en')).toBeNull();
  });

  it('gives the same answer through the one-off matchFaq', () => {
    expect(matchFaq(entries, 'How much?', 'en')?.answer).toBe('From $290 per m².');
  });
});

describe('FaqEntrySchema', () => {
  const issues = (input: unknown) =>
    FaqEntrySchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('defaults keywords and patterns to none', () => {
    expect(FaqEntrySchema.parse({ id: 'a', language: 'en', keywords: ['x'], answer: 'y' }).patterns).toEqual([]);
  });

  it('names a pattern that does not compile', () => {
    expect(issues({ id: 'a', language: 'en', patterns: ['ok', '(unclosed'], answer: 'y' })).toEqual([
      expect.stringMatching(/^patterns\.1: pattern "\(unclosed" is not a valid regular expression/),
    ]);
  });

  it('requires a keyword or a pattern and a non-empty answer', () => {
    expect(issues({ id: 'a', language: 'en', answer: 'y' })).toEqual(['keywords: give at least one keyword or pattern']);
    expect(issues({ id: 'a', language: 'en', keywords: ['x'], answer: '' })).toEqual([expect.stringMatching(/^answer: /)]);
  });
});
