/**
 * Routing decision latency: 50 compiled rules (keywords in English and Korean, patterns,
 * channels, UTM, tags, languages) where the rule that matches is the 49th, so every decision
 * scans nearly all of them, then a round-robin choice among 100 managers.
 *
 * `npx tsx test/bench/routing.bench.ts` prints the figures; `benchRouting()` returns them.
 * Target: median under 1 ms per decision.
 */
import { pathToFileURL } from 'node:url';
import { chooseAssignee, type ManagerCandidate } from '../../src/domain/assignment-strategy.js';
import { compileRoutingRules, RoutingRuleSchema, type RoutingFacts, type RoutingRule } from '../../src/domain/routing-rules.js';
import { percentile } from './stats.js';

const DECISIONS = 20_000;
const WARMUP = 2_000;
const MATCHING_RULE = 'Glass balcony leads from Instagram';

const PRODUCTS: readonly (readonly [string, string])[] = [
  ['windows', '창문'], ['doors', '현관문'], ['blinds', '블라인드'], ['curtains', '커튼'], ['flooring', '마루'],
  ['tiles', '타일'], ['roofing', '지붕'], ['insulation', '단열'], ['skylights', '천창'], ['shutters', '셔터'],
  ['awnings', '어닝'], ['gutters', '홈통'], ['fences', '울타리'], ['decking', '데크'], ['pergolas', '파고라'],
  ['garage doors', '차고문'], ['screens', '방충망'], ['sunrooms', '썬룸'], ['railings', '난간'], ['siding', '사이딩'],
  ['wallpaper', '벽지'], ['kitchens', '주방'], ['bathrooms', '욕실'], ['lighting', '조명'], ['heating', '난방'],
  ['cooling', '냉방'], ['ventilation', '환기'], ['solar panels', '태양광'], ['carports', '카포트'], ['gates', '대문'],
];

/** Twelve hand-written rules of the kinds teams write, none of which the benchmark text meets. */
const HANDWRITTEN: unknown[] = [
  { name: 'Repairs', when: { keywords: ['broken', 'repair', 'warranty', 'leak', '고장', '수리', '보증'] }, then: { team: 'support', priority: 'high' } },
  { name: 'Paid spring campaign', when: { utmSource: ['google', 'naver'], utmCampaign: ['spring-sale'] }, then: { team: 'sales', priority: 'high', addTags: ['paid'] } },
  { name: 'Korean speakers', when: { languages: ['ko'] }, then: { addTags: ['ko'] }, continue: true },
  { name: 'Wholesale', when: { patterns: ['\\b(b2b|wholesale|bulk order)\\b', '\\d{3,}\\s*(pcs|units|개)'] }, then: { team: 'b2b' } },
  { name: 'Invoices by email', when: { channels: ['email'], keywords: ['invoice', 'receipt', '세금계산서', '영수증'] }, then: { team: 'billing' } },
  { name: 'Order status', when: { patterns: ['order\\s*#?\\d{5,}', '주문\\s*번호'] }, then: { team: 'support' } },
  { name: 'Night owls', when: { withinBusinessHours: false, tagsAny: ['vip'] }, then: { team: 'on-call', priority: 'urgent' } },
  { name: 'Returning VIPs', when: { tagsAll: ['vip', 'returning'], hasOwner: true }, then: { strategy: 'sticky_then_round_robin' } },
  { name: 'Complaints', when: { keywords: ['complaint', 'refund', 'lawyer', '환불', '불만', '소비자원'] }, then: { team: 'care', priority: 'urgent' } },
  { name: 'Partners on Slack', when: { channels: ['slack'], inboxIds: ['partners'] }, then: { team: 'partners' } },
  { name: 'Careers', when: { keywords: ['job', 'career', 'vacancy', 'resume', '채용', '이력서'] }, then: { team: 'hr', strategy: 'manual' } },
  { name: 'Press', when: { patterns: ['\\b(journalist|press|interview)\\b', '기자|인터뷰'] }, then: { team: 'pr', strategy: 'manual' } },
];

function productRule([en, ko]: readonly [string, string], i: number): unknown {
  return {
    name: `Product line: ${en}`,
    when: {
      channels: ['webchat', 'telegram', 'discord', 'email'],
      languages: i % 2 === 0 ? ['en', 'ko'] : ['en', 'ko', 'ja'],
      keywords: [en, `${en} price`, ko, `${ko} 가격`],
      patterns: [`${en}\\s+(quote|estimate|install(ation)?)`, `${ko}\\s*(견적|설치)`],
    },
    then: { team: `product-${i}`, addTags: [en.replace(/\s+/g, '-')] },
  };
}

/** 50 rules: the hand-written ones, product lines, the matching rule, then a catch-all. */
export function benchRules(): RoutingRule[] {
  const products = PRODUCTS.map(productRule);
  const utmFilters = Array.from({ length: 6 }, (_, i) => ({
    name: `Campaign ${i}`,
    when: { utmSource: ['instagram', 'facebook'], utmCampaign: [`autumn-${i}`, `promo-${i}`] },
    then: { team: 'sales', addTags: [`campaign-${i}`] },
  }));
  const matching = {
    name: MATCHING_RULE,
    when: { channels: ['webchat', 'telegram'], utmSource: ['instagram'], tagsAny: ['lead'], keywords: ['glass balcony', '유리 발코니'], languages: ['en', 'ko'] },
    then: { team: 'balcony', strategy: 'round_robin', priority: 'high', addTags: ['balcony'] },
  };
  const catchAll = { name: 'Everyone else', then: { team: 'sales' } };
  const rules = [...HANDWRITTEN, ...products, ...utmFilters, matching, catchAll].map((rule) => RoutingRuleSchema.parse(rule));
  if (rules.length !== 50) throw new Error(`expected 50 benchmark rules, built ${rules.length}`);
  return rules;
}

const MESSAGES = [
  'Hello! We just moved into a new apartment on the 12th floor.',
  '안녕하세요, 이번에 새 아파트로 이사했어요. 베란다 쪽이 너무 추워서요.',
  'The living room opens onto a balcony of about 4 by 1.5 metres and it gets very windy in winter.',
  '겨울에는 바람이 많이 들어와서 아이들이 놀기 어렵습니다. 사진 보내드릴게요.',
  'Could someone tell me what a glass balcony would involve for us? We saw your ad.',
  '유리 발코니 설치가 가능한지 궁금합니다. 주말에 상담 가능할까요?',
];

/** Sixteen realistic conversations, each meeting the matching rule and nothing before it. */
function benchFacts(): RoutingFacts[] {
  return Array.from({ length: 16 }, (_, i) => ({
    inboxId: i % 2 === 0 ? 'web' : 'tg-main',
    channel: i % 2 === 0 ? 'webchat' : 'telegram',
    text: [...MESSAGES.slice(i % 3), `Visitor ${i} here, my flat number is ${100 + i}.`, MESSAGES[4 + (i % 2)]].join('\n'),
    language: i % 4 === 0 ? 'ko' : 'en',
    tags: i % 3 === 0 ? ['lead', 'returning'] : ['lead'],
    utm: { source: 'instagram', campaign: `summer-${i}` },
    withinBusinessHours: i % 5 !== 0,
  }));
}

/** 100 managers; some away, off hours or full, as on a real day. */
function benchCandidates(): ManagerCandidate[] {
  return Array.from({ length: 100 }, (_, i) => ({
    id: `user-${String(i).padStart(3, '0')}`,
    name: `Manager ${i}`,
    active: i % 37 !== 0,
    available: i % 9 !== 0,
    withinWorkingHours: i % 13 !== 0,
    capacity: 20,
    openCount: i % 11 === 0 ? 20 : (i * 7) % 20,
  }));
}

/** Runs `DECISIONS` timed decisions after a warm-up; throws if a decision comes out wrong. */
export async function benchRouting(): Promise<{ medianMs: number; p99Ms: number; decisions: number }> {
  const decide = compileRoutingRules(benchRules());
  const facts = benchFacts();
  const candidates = benchCandidates();
  let ticket = 0;
  const once = (f: RoutingFacts) => {
    const decision = decide(f);
    const choice = chooseAssignee({ strategy: decision.strategy, candidates, roundRobinTicket: (ticket += 1) });
    if (decision.matchedRules.at(-1) !== MATCHING_RULE || choice.userId === null) {
      throw new Error(`unexpected decision: ${decision.matchedRules.join(', ')} → ${choice.reason}`);
    }
  };
  for (let i = 0; i < WARMUP; i += 1) once(facts[i % facts.length]!);
  const samples = new Float64Array(DECISIONS);
  for (let i = 0; i < DECISIONS; i += 1) {
    const f = facts[i % facts.length]!;
    const start = performance.now();
    once(f);
    samples[i] = performance.now() - start;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: percentile(sorted, 50), p99Ms: percentile(sorted, 99), decisions: DECISIONS };
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  const { medianMs, p99Ms, decisions } = await benchRouting();
  const verdict = medianMs < 1 ? 'PASS' : 'MISS';
  console.log(`routing: ${decisions} decisions (50 rules, 100 managers): median ${medianMs.toFixed(4)} ms, p99 ${p99Ms.toFixed(4)} ms — target median < 1 ms: ${verdict}`);
}
