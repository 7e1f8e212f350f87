import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { pickText } from './localized-text.js';
import { toE164 } from './phone.js';

/** What a step asks for; 'contact' takes a phone number or an email address. */
export const QualificationFieldSchema = z.enum(['name', 'phone', 'email', 'contact', 'need']);
export type QualificationField = z.infer<typeof QualificationFieldSchema>;

const TextsSchema = z
  .record(z.string().min(1), z.string().min(1))
  .refine((texts) => Object.keys(texts).length > 0, 'give the text in at least one language');

/** One question of the flow: its prompt and the polite "please try again", per language. */
export const QualificationStepSchema = z.object({
  field: QualificationFieldSchema,
  prompt: TextsSchema,
  retry: TextsSchema,
});
export type QualificationStep = z.infer<typeof QualificationStepSchema>;

/** The questions the bot asks a new lead, in order, and what it says when it has them all. */
export const QualificationFlowSchema = z.object({
  enabled: z.boolean().default(true),
  steps: z.array(QualificationStepSchema).min(1),
  done: TextsSchema,
});
export type QualificationFlow = z.infer<typeof QualificationFlowSchema>;

/** What the bot knows about the lead: answers, plus what was known before it asked. */
export const QualificationCollectedSchema = z.object({
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  need: z.string().optional(),
});
export type QualificationCollected = z.infer<typeof QualificationCollectedSchema>;

/** Where a conversation is in the flow; kept in the conversation's bot state between messages. */
export const QualificationStateSchema = z.object({
  /** Index of the step being asked; `steps.length` once done. */
  step: z.number().int().min(0),
  collected: QualificationCollectedSchema,
  /** Invalid answers to the current step so far. */
  retries: z.number().int().min(0),
});
export type QualificationState = z.infer<typeof QualificationStateSchema>;

/** The outcome of starting the flow: the first question, or done when nothing is left to ask. */
export interface QualificationStart {
  state: QualificationState;
  reply: string | null;
  done: boolean;
}

/** The outcome of one answer: the next question, the retry text, or the closing text. */
export interface QualificationAnswer {
  state: QualificationState;
  reply: string;
  done: boolean;
  /** Whether the answer was valid and stored. */
  accepted: boolean;
  collected: QualificationCollected;
}

/** Context of an answer: the conversation language and the country for national phone numbers. */
export interface QualificationContext {
  language: string;
  defaultCountry?: CountryCode;
}

function isKnown(field: QualificationField, collected: QualificationCollected): boolean {
  if (field === 'contact') return Boolean(collected.phone || collected.email);
  return Boolean(collected[field]);
}

/** The index of the first step at or after `from` that still needs an answer. */
function nextOpenStep(flow: QualificationFlow, from: number, collected: QualificationCollected): number {
  for (let step = from; ; step += 1) {
    const current = flow.steps[step];
    if (!current || !isKnown(current.field, collected)) return Math.min(step, flow.steps.length);
  }
}

function knownValues(known: Partial<QualificationCollected>): QualificationCollected {
  const collected: QualificationCollected = {};
  for (const key of ['name', 'phone', 'email', 'need'] as const) {
    const value = known[key]?.trim();
    if (value) collected[key] = value;
  }
  return collected;
}

/**
 * Starts the flow in `language`. Fields already `known` (say, the email from the pre-chat form)
 * are kept in `collected` and their steps skipped; the reply is the first remaining question,
 * or null with done: true when there is none (or the flow is disabled).
 */
export function startQualification(
  flow: QualificationFlow,
  language: string,
  known: Partial<QualificationCollected>,
): QualificationStart {
  const collected = knownValues(known);
  const step = flow.enabled ? nextOpenStep(flow, 0, collected) : flow.steps.length;
  const current = flow.steps[step];
  const state: QualificationState = { step, collected, retries: 0 };
  return current ? { state, reply: pickText(current.prompt, language), done: false } : { state, reply: null, done: true };
}

// People answer in sentences ("I'm Ann", "김민준입니다"); keep just the name.
const NAME_PREFIX = /^(?:my name is|my name's|i am|i'm|this is|it's|name:|제 이름은|이름은|저는)\s*/iu;
const NAME_SUFFIX = /(?:이라고 합니다|라고 합니다|입니다|이에요|예요)$/u;
const NAME = /^[\p{L}\p{M}]+(?:[ '’.-]+[\p{L}\p{M}]+)*\.?$/u;
const EMAIL = z.email();

function parseName(answer: string): string | null {
  const sentence = answer.replace(/\s+/gu, ' ').trim().replace(/[!~]+$/u, '');
  const name = sentence.replace(NAME_PREFIX, '').replace(NAME_SUFFIX, '').trim() || sentence;
  return name.length <= 120 && NAME.test(name) ? name : null;
}

/** The answer as an email, or the one email-looking word in it ("it's ann@example.com"). */
function parseEmail(answer: string): string | null {
  const words = answer.trim().toLowerCase().split(/\s+/u);
  const emails = words
    .map((word) => word.replace(/^[<("'“]+|[>)"'”.,;:!?]+$/gu, ''))
    .filter((word) => word.includes('@') && EMAIL.safeParse(word).success);
  return emails.length === 1 ? (emails[0] ?? null) : null;
}

function parseNeed(answer: string): string | null {
  const need = answer.trim();
  return need.length >= 2 && need.length <= 1000 ? need : null;
}

/** The fields an answer to `field` fills in, or null when it is not a valid answer. */
function parseAnswer(field: QualificationField, answer: string, ctx: QualificationContext): Partial<QualificationCollected> | null {
  const phone = () => toE164(answer, ctx.defaultCountry);
  switch (field) {
    case 'name': {
      const name = parseName(answer);
      return name === null ? null : { name };
    }
    case 'phone': {
      const value = phone();
      return value === null ? null : { phone: value };
    }
    case 'email': {
      const email = parseEmail(answer);
      return email === null ? null : { email };
    }
    case 'contact': {
      const value = answer.includes('@') ? parseEmail(answer) : phone();
      if (value === null) return null;
      return answer.includes('@') ? { email: value } : { phone: value };
    }
    case 'need': {
      const need = parseNeed(answer);
      return need === null ? null : { need };
    }
  }
}

/**
 * Takes the customer's answer to the current step. A valid answer is stored (phones as E.164,
 * emails lower-cased) and the reply is the next unanswered question, or the `done` text with
 * done: true after the last. An invalid one gets the step's retry text and counts a retry.
 */
export function answerQualification(
  flow: QualificationFlow,
  state: QualificationState,
  answer: string,
  ctx: QualificationContext,
): QualificationAnswer {
  const current = flow.steps[state.step];
  if (!current) return { state, reply: pickText(flow.done, ctx.language), done: true, accepted: false, collected: state.collected };
  const parsed = parseAnswer(current.field, answer, ctx);
  if (parsed === null) {
    const retried = { ...state, retries: state.retries + 1 };
    return { state: retried, reply: pickText(current.retry, ctx.language), done: false, accepted: false, collected: state.collected };
  }
  const collected = { ...state.collected, ...parsed };
  const step = nextOpenStep(flow, state.step + 1, collected);
  const next = flow.steps[step];
  const reply = next ? pickText(next.prompt, ctx.language) : pickText(flow.done, ctx.language);
  return { state: { step, collected, retries: 0 }, reply, done: !next, accepted: true, collected };
}
