import { describe, expect, it } from 'vitest';
import { wantsHuman } from '../../src/domain/handoff.js';

const KEYWORDS = ['operator', 'manager', 'human', 'real person', 'agent', '상담원', '매니저', '사람', '상담사'];

describe('wantsHuman', () => {
  it('hears an English request for a person, in any case and spacing', () => {
    expect(wantsHuman('Can I talk to a MANAGER please?', KEYWORDS)).toBe(true);
    expect(wantsHuman('I want a real\n  person', KEYWORDS)).toBe(true);
    expect(wantsHuman('human!!', KEYWORDS)).toBe(true);
  });

  it('hears a Korean request even with particles attached', () => {
    expect(wantsHuman('상담원이랑 통화하고 싶어요', KEYWORDS)).toBe(true);
    expect(wantsHuman('사람하고 얘기할래요', KEYWORDS)).toBe(true);
  });

  it('does not fire on words that only contain an English keyword', () => {
    expect(wantsHuman('Is the frame humane to recycle?', KEYWORDS)).toBe(false);
    expect(wantsHuman('Do you have a management office?', KEYWORDS)).toBe(false);
    expect(wantsHuman('My agency sent me', KEYWORDS)).toBe(false);
  });

  it('stays quiet for ordinary questions and empty input', () => {
    expect(wantsHuman('How much are the windows?', KEYWORDS)).toBe(false);
    expect(wantsHuman('창호 가격이 궁금해요', KEYWORDS)).toBe(false);
    expect(wantsHuman('   ', KEYWORDS)).toBe(false);
    expect(wantsHuman('manager', [])).toBe(false);
  });
});
