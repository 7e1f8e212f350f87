import { describe, expect, it } from 'vitest';
import { detectLanguage, keywordMatcher, normalizeText, primaryLanguage } from '../../src/domain/language.js';

const bot = { supported: ['en', 'ko'], fallback: 'en' } as const;
const everyScript = { supported: ['en', 'ko', 'ja', 'zh', 'ru', 'ar'], fallback: 'en' } as const;

describe('detectLanguage', () => {
  it('answers Korean text in Korean and English text in English', () => {
    expect(detectLanguage('창호 가격이 얼마인가요?', bot)).toBe('ko');
    expect(detectLanguage('How much do new windows cost?', bot)).toBe('en');
  });

  it('lets the majority of letters decide in mixed text', () => {
    expect(detectLanguage('LG 창호 견적 부탁드립니다', bot)).toBe('ko');
    expect(detectLanguage('Hi, I saw your ad on 네이버 and want a quote', bot)).toBe('en');
  });

  it('falls back when the text has no letters', () => {
    expect(detectLanguage('👍🙏', { ...bot, fallback: 'ko' })).toBe('ko');
    expect(detectLanguage('010-1234-5678', { ...bot, fallback: 'ko' })).toBe('ko');
    expect(detectLanguage('', bot)).toBe('en');
  });

  it('prefers the contact locale when the bot speaks it', () => {
    expect(detectLanguage('Hello', { ...bot, locale: 'ko-KR' })).toBe('ko');
    expect(detectLanguage('안녕하세요', { ...bot, locale: 'en_US' })).toBe('en');
  });

  it('reads the text when the locale is one the bot does not speak', () => {
    expect(detectLanguage('안녕하세요', { ...bot, locale: 'de-DE' })).toBe('ko');
  });

  it('tells the CJK scripts, Cyrillic and Arabic apart', () => {
    expect(detectLanguage('窓の値段はいくらですか', everyScript)).toBe('ja');
    expect(detectLanguage('窗户多少钱', everyScript)).toBe('zh');
    expect(detectLanguage('Сколько стоят окна?', everyScript)).toBe('ru');
    expect(detectLanguage('كم سعر النوافذ؟', everyScript)).toBe('ar');
  });

  it('falls back when the text is in a language the bot does not speak', () => {
    expect(detectLanguage('Сколько стоит iPhone?', { ...bot, fallback: 'ko' })).toBe('ko');
    expect(detectLanguage('窓の値段はいくらですか', bot)).toBe('en');
    expect(detectLanguage('Πόσο κοστίζει; OK', { ...bot, fallback: 'ko' })).toBe('ko');
  });
});

describe('text matching helpers', () => {
  it('takes the primary subtag of a locale', () => {
    expect(primaryLanguage('ko-KR')).toBe('ko');
    expect(primaryLanguage('PT_br')).toBe('pt');
    expect(primaryLanguage('zh-Hant-TW')).toBe('zh');
  });

  it('normalizes width, case and whitespace', () => {
    expect(normalizeText('  ＰＲＩＣＥ\n\t of  Windows ')).toBe('price of windows');
  });

  it('matches Latin keywords on word boundaries and Korean ones inside words', () => {
    const price = keywordMatcher('Price');
    expect(price?.('what is the price?')).toBe(true);
    expect(price?.('this is priceless')).toBe(false);
    expect(keywordMatcher('가격')?.('가격이 궁금해요')).toBe(true);
    expect(keywordMatcher('   ')).toBeNull();
  });
});
