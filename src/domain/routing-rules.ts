import { z } from 'zod';
import { RegexPatternSchema } from './regex-pattern.js';
import { AssignmentStrategySchema, type AssignmentStrategy } from './assignment-strategy.js';
import { ChannelKindSchema, type ChannelKind } from './channel-kind.js';
import { normalizeText, UNSPACED } from './language.js';

/** An empty list would silently never match (or, for tagsAll, always): reject it instead. */
const listOf = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'list at least one value, or leave the condition out');
const ValueSchema = z.string().trim().min(1);

/**
 * When a rule applies. Every condition given must hold (AND); a list holds when any of its
 * values does (OR), except `tagsAll`. A rule without conditions matches every conversation.
 *
 * `keywords` and `patterns` look at the normalized text (NFKC, lower-case, whitespace collapsed,
 * as FAQ entries do): keywords in space-separated scripts match whole words or phrases ('leak'
 * is not in 'leakage'), Korean, Japanese, Chinese and Thai ones match inside words ('고장' in
 * '고장났어요'); patterns are case-insensitive unicode regular expressions. Tags, UTM values and
 * languages compare case-insensitively; a language 'ko' also matches 'ko-KR'.
 */
export const RoutingConditionSchema = z
  .object({
    inboxIds: listOf(ValueSchema).optional(),
    channels: listOf(ChannelKindSchema).optional(),
    keywords: listOf(ValueSchema).optional(),
    patterns: listOf(RegexPatternSchema).optional(),
    languages: listOf(z.string().regex(/^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i, 'use a language code such as "en" or "ko"')).optional(),
    tagsAny: listOf(ValueSchema).optional(),
    tagsAll: listOf(ValueSchema).optional(),
    utmSource: listOf(ValueSchema).optional(),
    utmCampaign: listOf(ValueSchema).optional(),
    withinBusinessHours: z.boolean().optional(),
    hasOwner: z.boolean().optional(),
  })
  .strict();
export type RoutingCondition = z.infer<typeof RoutingConditionSchema>;

/** Conversation priority, lowest first. */
export const RoutingPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type RoutingPriority = z.infer<typeof RoutingPrioritySchema>;

/** What a matching rule does: the team, a specific person (user key, e.g. email), how to pick, priority, tags. */
export const RoutingActionSchema = z
  .object({
    team: ValueSchema.optional(),
    user: ValueSchema.optional(),
    strategy: AssignmentStrategySchema.optional(),
    priority: RoutingPrioritySchema.optional(),
    addTags: z.array(ValueSchema).optional(),
  })
  .strict();
export type RoutingAction = z.infer<typeof RoutingActionSchema>;

/**
 * One routing rule. Rules run in order; a matching rule applies its action and, unless
 * `continue` is true, ends the evaluation. See compileRoutingRules for how actions combine.
 */
export const RoutingRuleSchema = z
  .object({
    name: ValueSchema,
    when: RoutingConditionSchema.default({}),
    then: RoutingActionSchema,
    continue: z.boolean().default(false),
  })
  .strict();
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

/** What the rules look at, gathered by the caller for one conversation. */
export interface RoutingFacts {
  inboxId: string;
  channel: ChannelKind;
  /** The customer's recent messages. */
  text: string;
  /** Language code ('ko', 'en', 'pt-BR'). */
  language: string;
  /** Tags of the contact and the conversation. */
  tags: string[];
  utm?: { source?: string; campaign?: string };
  /** Whether the moment of routing is within business hours (computed by the caller). */
  withinBusinessHours: boolean;
  /** The contact's manager, if any. */
  ownerId?: string;
}

/** The outcome of the rules: where the conversation goes and what is added to it. */
export interface RoutingDecision {
  team?: string;
  user?: string;
  strategy: AssignmentStrategy;
  priority?: RoutingPriority;
  addTags: string[];
  /** Names of the rules that matched, in order. */
  matchedRules: string[];
}

/** Compiled rules: facts in, decision out. */
export type RoutingDecider = (facts: RoutingFacts) => RoutingDecision;

/** The strategy when no matching rule names one. */
export const DEFAULT_ASSIGNMENT_STRATEGY: AssignmentStrategy = 'sticky_then_round_robin';

/** Facts plus the derived values conditions share, each computed at most once per decision. */
class PreparedFacts {
  #normalized: string | undefined;
  #tags: Set<string> | undefined;
  #language: string | undefined;

  constructor(readonly facts: RoutingFacts) {}

  get normalized(): string {
    return (this.#normalized ??= normalizeText(this.facts.text));
  }

  get tags(): ReadonlySet<string> {
    return (this.#tags ??= new Set(this.facts.tags.map(lower)));
  }

  get language(): string {
    return (this.#language ??= languageKey(this.facts.language));
  }
}

type Check = (p: PreparedFacts) => boolean;

const lower = (value: string): string => value.trim().toLowerCase();
const lowerSet = (values: readonly string[]): ReadonlySet<string> => new Set(values.map(lower));
const languageKey = (code: string): string => lower(code).replaceAll('_', '-');

/** Backreferences and named groups change meaning (or clash) when patterns are joined into one. */
const REFERS_TO_GROUPS = /\\[1-9]|\\k<|\(\?<(?![=!])/;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regex for the whole-word keywords plus plain substrings for the rest. */
function keywordCheck(keywords: readonly string[]): Check {
  const needles = [...new Set(keywords.map(normalizeText))].filter((n) => n !== '');
  const substrings = needles.filter((n) => UNSPACED.test(n));
  const words = needles.filter((n) => !UNSPACED.test(n)).map(escapeRegExp);
  const wordRegex = words.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'u') : null;
  return (p) => {
    const text = p.normalized;
    return substrings.some((s) => text.includes(s)) || (wordRegex !== null && wordRegex.test(text));
  };
}

/** Joins the patterns into one alternation, keeping apart those that refer to their own groups. */
function patternCheck(patterns: readonly string[]): Check {
  const joinable = patterns.filter((p) => !REFERS_TO_GROUPS.test(p));
  const regexes = patterns.filter((p) => REFERS_TO_GROUPS.test(p)).map((p) => new RegExp(p, 'iu'));
  if (joinable.length > 0) regexes.unshift(new RegExp(joinable.map((p) => `(?:${p})`).join('|'), 'iu'));
  return (p) => regexes.some((regex) => regex.test(p.normalized));
}

function utmCheck(values: readonly string[], field: 'source' | 'campaign'): Check {
  const wanted = lowerSet(values);
  return (p) => {
    const value = p.facts.utm?.[field];
    return value !== undefined && wanted.has(lower(value));
  };
}

type CheckBuilders = { [K in keyof RoutingCondition]-?: (value: NonNullable<RoutingCondition[K]>) => Check };

/** One builder per condition, in evaluation order: cheap comparisons before text scans. */
const BUILDERS: CheckBuilders = {
  inboxIds: (ids) => {
    const wanted = new Set(ids);
    return (p) => wanted.has(p.facts.inboxId);
  },
  channels: (channels) => {
    const wanted = new Set<string>(channels);
    return (p) => wanted.has(p.facts.channel);
  },
  withinBusinessHours: (open) => (p) => p.facts.withinBusinessHours === open,
  hasOwner: (has) => (p) => Boolean(p.facts.ownerId) === has,
  languages: (codes) => {
    const wanted = codes.map(languageKey);
    return (p) => wanted.some((code) => p.language === code || p.language.startsWith(`${code}-`));
  },
  utmSource: (values) => utmCheck(values, 'source'),
  utmCampaign: (values) => utmCheck(values, 'campaign'),
  tagsAny: (tags) => {
    const wanted = [...lowerSet(tags)];
    return (p) => wanted.some((tag) => p.tags.has(tag));
  },
  tagsAll: (tags) => {
    const wanted = [...lowerSet(tags)];
    return (p) => wanted.every((tag) => p.tags.has(tag));
  },
  keywords: keywordCheck,
  patterns: patternCheck,
};

function buildCheck<K extends keyof RoutingCondition>(when: RoutingCondition, key: K): Check | null {
  const value = when[key];
  // TypeScript cannot correlate BUILDERS[key] with when[key] for a generic key; the mapped type does.
  const build = BUILDERS[key] as (value: NonNullable<RoutingCondition[K]>) => Check;
  return value === undefined ? null : build(value);
}

interface CompiledRule {
  rule: RoutingRule;
  checks: Check[];
}

function compileRule(rule: RoutingRule): CompiledRule {
  const keys = Object.keys(BUILDERS) as (keyof RoutingCondition)[];
  return { rule, checks: keys.map((key) => buildCheck(rule.when, key)).filter((check) => check !== null) };
}

const PRIORITY_RANK: Record<RoutingPriority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** A decision being built; `strategy` stays unset until a rule names one. */
type Draft = Omit<RoutingDecision, 'strategy'> & { strategy?: AssignmentStrategy };

function apply(draft: Draft, rule: RoutingRule): void {
  const { team, user, strategy, priority, addTags = [] } = rule.then;
  draft.matchedRules.push(rule.name);
  draft.team ??= team;
  draft.user ??= user;
  draft.strategy ??= strategy;
  if (priority && (!draft.priority || PRIORITY_RANK[priority] > PRIORITY_RANK[draft.priority])) draft.priority = priority;
  for (const tag of addTags) if (!draft.addTags.includes(tag)) draft.addTags.push(tag);
}

/**
 * Compiles the rules once (keyword and pattern regexes, lookup sets) into a decider.
 *
 * Rules run in order. A matching rule applies its action; evaluation stops at the first match
 * whose `continue` is false. When earlier matches continued, actions combine: `team`, `user` and
 * `strategy` keep the first value set (a later rule cannot move a conversation an earlier rule
 * placed), tags accumulate without repeats, and priority only rises (low < normal < high <
 * urgent). With no strategy named the decision uses `sticky_then_round_robin`; with no team the
 * caller's default team applies.
 */
export function compileRoutingRules(rules: readonly RoutingRule[]): RoutingDecider {
  const compiled = rules.map(compileRule);
  return (facts) => {
    const prepared = new PreparedFacts(facts);
    const draft: Draft = { addTags: [], matchedRules: [] };
    for (const { rule, checks } of compiled) {
      if (!checks.every((check) => check(prepared))) continue;
      apply(draft, rule);
      if (!rule.continue) break;
    }
    const { team, user, strategy = DEFAULT_ASSIGNMENT_STRATEGY, priority, addTags, matchedRules } = draft;
    return { ...(team ? { team } : {}), ...(user ? { user } : {}), strategy, ...(priority ? { priority } : {}), addTags, matchedRules };
  };
}
