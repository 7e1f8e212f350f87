import { describe, expect, it } from 'vitest';
import {
  answerQualification,
  QualificationFlowSchema,
  startQualification,
  type QualificationFlow,
  type QualificationState,
} from '../../src/domain/qualification.js';

const flow: QualificationFlow = QualificationFlowSchema.parse({
  steps: [
    { field: 'name', prompt: { en: 'May I have your name?', ko: '성함을 알려주시겠어요?' }, retry: { en: 'Sorry — your name?', ko: '죄송합니다. 성함을 다시 알려주시겠어요?' } },
    { field: 'contact', prompt: { en: 'Phone or email?', ko: '전화번호나 이메일을 알려주세요.' }, retry: { en: 'That is not a phone or email.', ko: '전화번호나 이메일 형식이 아닌 것 같아요.' } },
    { field: 'need', prompt: { en: 'How can we help?', ko: '어떤 도움이 필요하신가요?' }, retry: { en: 'Tell me a little more?', ko: '조금 더 알려주시겠어요?' } },
  ],
  done: { en: 'Thanks! A manager will call.', ko: '감사합니다! 매니저에게 전달했습니다.' },
});

const phoneFlow: QualificationFlow = QualificationFlowSchema.parse({
  steps: [
    { field: 'phone', prompt: { en: 'Your phone number?' }, retry: { en: 'Sorry, that is not a phone number — could you check it?' } },
    { field: 'email', prompt: { en: 'Your email?' }, retry: { en: 'Sorry, that is not an email address.' } },
  ],
  done: { en: 'Done.' },
});

/** Answers each text in turn, returning every reply and the final result. */
function converse(f: QualificationFlow, language: string, answers: string[], state: QualificationState) {
  const replies: string[] = [];
  let current = state;
  let last: ReturnType<typeof answerQualification> | undefined;
  for (const answer of answers) {
    last = answerQualification(f, current, answer, { language, defaultCountry: 'KR' });
    replies.push(last.reply);
    current = last.state;
  }
  return { replies, last };
}

describe('lead qualification', () => {
  it('walks an English lead through every question', () => {
    const start = startQualification(flow, 'en', {});
    expect(start).toMatchObject({ reply: 'May I have your name?', done: false });
    const { replies, last } = converse(flow, 'en', ["I'm Ann Lee", '+1 415 555 0132', 'Six windows for a new flat'], start.state);
    expect(replies).toEqual(['Phone or email?', 'How can we help?', 'Thanks! A manager will call.']);
    expect(last).toMatchObject({ done: true, accepted: true });
    expect(last?.collected).toEqual({ name: 'Ann Lee', phone: '+14155550132', need: 'Six windows for a new flat' });
  });

  it('walks a Korean lead through every question, reading national numbers in the default country', () => {
    const start = startQualification(flow, 'ko', {});
    expect(start.reply).toBe('성함을 알려주시겠어요?');
    const { replies, last } = converse(flow, 'ko', ['김민준입니다', '010-1234-5678', '거실 창호 교체 견적이 필요해요'], start.state);
    expect(replies).toEqual(['전화번호나 이메일을 알려주세요.', '어떤 도움이 필요하신가요?', '감사합니다! 매니저에게 전달했습니다.']);
    expect(last?.collected).toEqual({ name: '김민준', phone: '+821012345678', need: '거실 창호 교체 견적이 필요해요' });
  });

  it('asks again politely after a bad phone number, then accepts a good one', () => {
    const start = startQualification(phoneFlow, 'en', {});
    const bad = answerQualification(phoneFlow, start.state, 'call me maybe', { language: 'en' });
    expect(bad).toMatchObject({ reply: 'Sorry, that is not a phone number — could you check it?', accepted: false, done: false });
    expect(bad.state).toEqual({ step: 0, collected: {}, retries: 1 });
    const good = answerQualification(phoneFlow, bad.state, '+82 10-1234-5678', { language: 'en' });
    expect(good).toMatchObject({ reply: 'Your email?', accepted: true, done: false });
    expect(good.state).toEqual({ step: 1, collected: { phone: '+821012345678' }, retries: 0 });
  });

  it('stores emails lower-cased and finds one inside a sentence', () => {
    const start = startQualification(phoneFlow, 'en', { phone: '+821012345678' });
    expect(start.reply).toBe('Your email?');
    expect(answerQualification(phoneFlow, start.state, 'it is Ann.Lee@Example.COM.', { language: 'en' }).collected.email).toBe('ann.lee@example.com');
    expect(answerQualification(phoneFlow, start.state, 'ann@', { language: 'en' }).accepted).toBe(false);
  });

  it('takes an email or a phone number for "contact"', () => {
    const afterName = answerQualification(flow, startQualification(flow, 'en', {}).state, 'Ann', { language: 'en' }).state;
    const byEmail = answerQualification(flow, afterName, 'ANN@example.com', { language: 'en' });
    expect(byEmail.collected).toEqual({ name: 'Ann', email: 'ann@example.com' });
    const byPhone = answerQualification(flow, afterName, '02 312 3456', { language: 'en', defaultCountry: 'KR' });
    expect(byPhone.collected).toEqual({ name: 'Ann', phone: '+8223123456' });
    expect(answerQualification(flow, afterName, 'tomorrow', { language: 'en' })).toMatchObject({ accepted: false, reply: 'That is not a phone or email.' });
  });

  it('rejects a phone number or an email given as a name, and a one-letter need', () => {
    const start = startQualification(flow, 'en', {}).state;
    expect(answerQualification(flow, start, '010-1234-5678', { language: 'en' }).accepted).toBe(false);
    expect(answerQualification(flow, start, 'ann@example.com', { language: 'en' }).accepted).toBe(false);
    const atNeed = { step: 2, collected: { name: 'Ann', email: 'ann@example.com' }, retries: 0 };
    expect(answerQualification(flow, atNeed, ' ? ', { language: 'en' })).toMatchObject({ accepted: false, reply: 'Tell me a little more?' });
  });

  it('skips questions whose answers are already known', () => {
    const start = startQualification(flow, 'en', { email: 'ann@example.com' });
    expect(start.reply).toBe('May I have your name?');
    const named = answerQualification(flow, start.state, 'Ann', { language: 'en' });
    expect(named.reply).toBe('How can we help?');
    expect(named.state.step).toBe(2);
    expect(named.collected).toEqual({ name: 'Ann', email: 'ann@example.com' });
  });

  it('has nothing to ask when everything is known or the flow is off', () => {
    expect(startQualification(flow, 'en', { name: 'Ann', phone: '+14155550132', need: 'windows' })).toMatchObject({ reply: null, done: true });
    expect(startQualification({ ...flow, enabled: false }, 'en', {})).toMatchObject({ reply: null, done: true });
  });

  it('falls back to English, then to the first text given, for a missing language', () => {
    expect(startQualification(flow, 'ja', {}).reply).toBe('May I have your name?');
    const koreanOnly = QualificationFlowSchema.parse({ steps: [{ field: 'need', prompt: { ko: '무엇을 도와드릴까요?' }, retry: { ko: '다시 알려주세요.' } }], done: { ko: '감사합니다.' } });
    const start = startQualification(koreanOnly, 'en', {});
    expect(start.reply).toBe('무엇을 도와드릴까요?');
    expect(answerQualification(koreanOnly, start.state, 'x', { language: 'en' }).reply).toBe('다시 알려주세요.');
    expect(answerQualification(koreanOnly, start.state, 'windows', { language: 'en' }).reply).toBe('감사합니다.');
  });
});

describe('QualificationFlowSchema', () => {
  it('rejects an unknown field and an empty flow', () => {
    expect(QualificationFlowSchema.safeParse({ steps: [{ field: 'age', prompt: { en: 'Age?' }, retry: { en: 'Age?' } }], done: { en: 'ok' } }).success).toBe(false);
    expect(QualificationFlowSchema.safeParse({ steps: [], done: { en: 'ok' } }).success).toBe(false);
  });
});
