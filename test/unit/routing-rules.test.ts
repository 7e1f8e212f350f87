import { describe, expect, it } from 'vitest';
import { compileRoutingRules, RoutingRuleSchema, type RoutingFacts } from '../../src/domain/routing-rules.js';

const facts = (overrides: Partial<RoutingFacts> = {}): RoutingFacts => ({
  inboxId: 'tg-main',
  channel: 'telegram',
  text: 'Hello, I would like a quote for three windows',
  language: 'en',
  tags: [],
  withinBusinessHours: true,
  ...overrides,
});

/** Parses raw rules as config loading does, then compiles them. */
const decider = (rules: unknown[]) => compileRoutingRules(rules.map((rule) => RoutingRuleSchema.parse(rule)));

/** Whether a single rule with `when` matches `f`. */
const matches = (when: unknown, f: RoutingFacts): boolean =>
  decider([{ name: 'r', when, then: { team: 't' } }])(f).matchedRules.length === 1;

const issuesOf = (rule: unknown): string => {
  const result = RoutingRuleSchema.safeParse(rule);
  if (result.success) throw new Error('expected the rule to be rejected');
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
};

describe('rule order and continue', () => {
  const decide = decider([
    { name: 'Repairs', when: { keywords: ['broken', 'leak'] }, then: { team: 'support', priority: 'high', addTags: ['repair'] } },
    { name: 'Korean speakers', when: { languages: ['ko'] }, then: { addTags: ['ko'], priority: 'normal' }, continue: true },
    { name: 'Urgent words', when: { keywords: ['urgent', '긴급'] }, then: { team: 'vip', priority: 'urgent', addTags: ['ko', 'urgent'] }, continue: true },
    { name: 'Everyone else', when: {}, then: { team: 'sales', user: 'kim@acme.test', strategy: 'least_loaded', priority: 'low' } },
    { name: 'Never reached', when: {}, then: { team: 'nobody', addTags: ['unreachable'] } },
  ]);

  it('stops at the first matching rule that does not continue', () => {
    expect(decide(facts({ text: 'My window is BROKEN and there is a leak' }))).toEqual({
      team: 'support',
      strategy: 'sticky_then_round_robin',
      priority: 'high',
      addTags: ['repair'],
      matchedRules: ['Repairs'],
    });
  });

  it('falls through to the catch-all when nothing earlier matches', () => {
    expect(decide(facts())).toEqual({
      team: 'sales',
      user: 'kim@acme.test',
      strategy: 'least_loaded',
      priority: 'low',
      addTags: [],
      matchedRules: ['Everyone else'],
    });
  });

  it('lets continuing rules add tags and raise priority, keeping the first team, user and strategy', () => {
    const decision = decide(facts({ language: 'ko', text: '긴급! 창문이 안 닫혀요' }));
    expect(decision.matchedRules).toEqual(['Korean speakers', 'Urgent words', 'Everyone else']);
    expect(decision.team).toBe('vip');
    expect(decision.user).toBe('kim@acme.test');
    expect(decision.strategy).toBe('least_loaded');
    expect(decision.priority).toBe('urgent');
    expect(decision.addTags).toEqual(['ko', 'urgent']);
  });

  it('never lowers a priority an earlier rule raised', () => {
    const decision = decide(facts({ language: 'ko' }));
    expect(decision.matchedRules).toEqual(['Korean speakers', 'Everyone else']);
    expect(decision.priority).toBe('normal');
  });

  it('decides nothing but the default strategy when no rule matches', () => {
    const none = decider([{ name: 'Only email', when: { channels: ['email'] }, then: { team: 'mail' } }]);
    expect(none(facts())).toEqual({ strategy: 'sticky_then_round_robin', addTags: [], matchedRules: [] });
    expect(compileRoutingRules([])(facts())).toEqual({ strategy: 'sticky_then_round_robin', addTags: [], matchedRules: [] });
  });
});

describe('conditions', () => {
  it('an empty or missing `when` matches every conversation', () => {
    expect(matches({}, facts())).toBe(true);
    expect(decider([{ name: 'all', then: { team: 't' } }])(facts({ channel: 'email', text: '' })).team).toBe('t');
  });

  it('inboxIds and channels match any listed value', () => {
    expect(matches({ inboxIds: ['web', 'tg-main'] }, facts())).toBe(true);
    expect(matches({ inboxIds: ['web'] }, facts())).toBe(false);
    expect(matches({ channels: ['email', 'telegram'] }, facts())).toBe(true);
    expect(matches({ channels: ['discord'] }, facts())).toBe(false);
  });

  it('keywords match Latin words whole, in any case and spacing', () => {
    expect(matches({ keywords: ['leak'] }, facts({ text: 'There is a LEAK.' }))).toBe(true);
    expect(matches({ keywords: ['leak'] }, facts({ text: 'Leakage of data' }))).toBe(false);
    expect(matches({ keywords: ['free trial'] }, facts({ text: 'is the Free\n  Trial over?' }))).toBe(true);
    expect(matches({ keywords: ['price', 'prices'] }, facts({ text: 'any prices?' }))).toBe(true);
    expect(matches({ keywords: ['c++'] }, facts({ text: 'do you hire c++ devs' }))).toBe(true);
    expect(matches({ keywords: ['café'] }, facts({ text: 'CAFÉ opening' }))).toBe(true);
    expect(matches({ keywords: ['café'] }, facts({ text: 'cafés' }))).toBe(false);
  });

  it('keywords in Korean match inside words, with particles attached', () => {
    expect(matches({ keywords: ['고장', '수리'] }, facts({ text: '에어컨이 고장났어요' }))).toBe(true);
    expect(matches({ keywords: ['수리'] }, facts({ text: '수리비가 얼마예요?' }))).toBe(true);
    expect(matches({ keywords: ['고장'] }, facts({ text: '가격이 궁금해요' }))).toBe(false);
  });

  it('patterns match case-insensitively, any of them', () => {
    const when = { patterns: ['order\\s*#?\\d{5,}', '^refund'] };
    expect(matches(when, facts({ text: 'Where is ORDER #123456?' }))).toBe(true);
    expect(matches(when, facts({ text: 'Refund please' }))).toBe(true);
    expect(matches(when, facts({ text: 'order 12' }))).toBe(false);
    expect(matches({ patterns: ['창문\\s*\\d+개'] }, facts({ text: '창문 3개 견적' }))).toBe(true);
  });

  it('patterns with backreferences or named groups keep their own meaning', () => {
    const when = { patterns: ['(x)y', '(a)\\1', '(?<d>\\d)\\k<d>'] };
    expect(matches(when, facts({ text: 'aa' }))).toBe(true);
    expect(matches(when, facts({ text: '77' }))).toBe(true);
    expect(matches(when, facts({ text: 'ax 78' }))).toBe(false);
  });

  it('languages match the code and its regional variants', () => {
    expect(matches({ languages: ['ko', 'ja'] }, facts({ language: 'ko' }))).toBe(true);
    expect(matches({ languages: ['ko'] }, facts({ language: 'ko-KR' }))).toBe(true);
    expect(matches({ languages: ['pt-BR'] }, facts({ language: 'pt_br' }))).toBe(true);
    expect(matches({ languages: ['pt-BR'] }, facts({ language: 'pt' }))).toBe(false);
    expect(matches({ languages: ['ko'] }, facts({ language: 'kok' }))).toBe(false);
  });

  it('tagsAny needs one of the tags, tagsAll every one, case-insensitively', () => {
    const tagged = facts({ tags: ['VIP', 'returning'] });
    expect(matches({ tagsAny: ['vip', 'wholesale'] }, tagged)).toBe(true);
    expect(matches({ tagsAny: ['wholesale'] }, tagged)).toBe(false);
    expect(matches({ tagsAll: ['vip', 'returning'] }, tagged)).toBe(true);
    expect(matches({ tagsAll: ['vip', 'wholesale'] }, tagged)).toBe(false);
  });

  it('utmSource and utmCampaign compare values and fail without UTM data', () => {
    const fromAds = facts({ utm: { source: 'Google', campaign: 'spring-sale' } });
    expect(matches({ utmSource: ['google', 'naver'] }, fromAds)).toBe(true);
    expect(matches({ utmCampaign: ['spring-sale'] }, fromAds)).toBe(true);
    expect(matches({ utmCampaign: ['winter'] }, fromAds)).toBe(false);
    expect(matches({ utmSource: ['google'] }, facts())).toBe(false);
    expect(matches({ utmCampaign: ['spring-sale'] }, facts({ utm: { source: 'google' } }))).toBe(false);
  });

  it('withinBusinessHours and hasOwner compare the flag both ways', () => {
    expect(matches({ withinBusinessHours: false }, facts({ withinBusinessHours: false }))).toBe(true);
    expect(matches({ withinBusinessHours: false }, facts())).toBe(false);
    expect(matches({ withinBusinessHours: true }, facts())).toBe(true);
    expect(matches({ hasOwner: true }, facts({ ownerId: 'u1' }))).toBe(true);
    expect(matches({ hasOwner: true }, facts())).toBe(false);
    expect(matches({ hasOwner: false }, facts())).toBe(true);
  });

  it('requires every given condition (AND) while any value of a list will do (OR)', () => {
    const when = { channels: ['telegram', 'webchat'], keywords: ['quote', 'price'], languages: ['en'] };
    expect(matches(when, facts())).toBe(true);
    expect(matches(when, facts({ channel: 'webchat', text: 'price?' }))).toBe(true);
    expect(matches(when, facts({ channel: 'email' }))).toBe(false);
    expect(matches(when, facts({ text: 'hello' }))).toBe(false);
    expect(matches(when, facts({ language: 'ko' }))).toBe(false);
  });
});

describe('rule validation', () => {
  it('fills in the defaults: match everything, stop at the first match', () => {
    expect(RoutingRuleSchema.parse({ name: 'all', then: { team: 'sales' } })).toEqual({ name: 'all', when: {}, then: { team: 'sales' }, continue: false });
  });

  it('rejects a pattern that does not compile, naming it', () => {
    const issues = issuesOf({ name: 'bad', when: { patterns: ['ok', 'order (\\d+'] }, then: { team: 't' } });
    expect(issues).toContain('when.patterns.1: pattern "order (\\\\d+" is not a valid regular expression');
  });

  it('rejects an unknown condition or action key instead of ignoring it', () => {
    expect(issuesOf({ name: 'typo', when: { keyword: ['leak'] }, then: { team: 't' } })).toMatch(/when: Unrecognized key: "keyword"/);
    expect(issuesOf({ name: 'typo', then: { teams: 't' } })).toMatch(/then: Unrecognized key: "teams"/);
    expect(issuesOf({ name: 'typo', then: { team: 't' }, contine: true })).toMatch(/Unrecognized key: "contine"/);
  });

  it('rejects unknown channels, strategies and priorities, empty lists and blank keywords', () => {
    expect(issuesOf({ name: 'x', when: { channels: ['fax'] }, then: {} })).toMatch(/^when\.channels\.0:/);
    expect(issuesOf({ name: 'x', then: { strategy: 'random' } })).toMatch(/^then\.strategy:/);
    expect(issuesOf({ name: 'x', then: { priority: 'critical' } })).toMatch(/^then\.priority:/);
    expect(issuesOf({ name: 'x', when: { tagsAll: [] }, then: {} })).toContain('when.tagsAll: list at least one value, or leave the condition out');
    expect(issuesOf({ name: 'x', when: { keywords: ['  '] }, then: {} })).toMatch(/^when\.keywords\.0:/);
    expect(issuesOf({ name: 'x', when: { languages: ['Korean'] }, then: {} })).toContain('use a language code such as "en" or "ko"');
  });
});
