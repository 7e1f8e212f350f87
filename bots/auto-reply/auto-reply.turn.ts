import type { CountryCode } from 'libphonenumber-js';
import type { AutoReplySettings } from '../../src/config/auto-reply.schema.js';
import { pickText, type LocalizedText } from '../../src/domain/localized-text.js';
import type { FaqEntry } from '../../src/domain/faq.js';
import { wantsHuman } from '../../src/domain/handoff.js';
import { answerQualification, startQualification, type QualificationState } from '../../src/domain/qualification.js';

/** What the bot remembers about a conversation (kept in `conversation.botState`). */
export interface BotState {
  phase?: 'qualifying' | 'idle' | 'handed-off';
  qualification?: QualificationState;
  /** The out-of-hours text was already sent, so a queue notice would only repeat it. */
  toldOutOfHours?: boolean;
}

export type Collected = QualificationState['collected'];

export interface TurnInput {
  settings: AutoReplySettings;
  state: BotState;
  text: string;
  newConversation: boolean;
  language: string;
  /** Whether managers are at work now. */
  open: boolean;
  /** When they are back, as the customer should read it ("Monday 09:00"); null if never. */
  nextOpening: string | null;
  /** What we already know about the contact, so qualification skips it. */
  known: Partial<Collected>;
  faq: (text: string, language: string) => FaqEntry | null;
  defaultCountry?: CountryCode;
}

export interface TurnOutput {
  reply: string | null;
  state: BotState;
  /** Set when the conversation should go to a manager now. */
  handoff?: { reason: string; note?: string };
  /** Set when qualification finished: store it on the contact and mark them a lead. */
  qualified?: Collected;
}

/**
 * One bot turn for one customer message, as a pure function: greeting and out-of-hours notice
 * on a new conversation, then handoff on request, qualification answers, FAQ answers, or
 * "a manager will answer" when the bot has nothing to say. All replies of a turn go out as one
 * message, so they cannot arrive out of order.
 */
export function botTurn(input: TurnInput): TurnOutput {
  const { settings, language } = input;
  const say = (t: LocalizedText) => pickText(t, language, settings.defaultLanguage);
  const parts: string[] = [];
  let state: BotState = { ...input.state };
  if (input.newConversation) {
    parts.push(say(settings.greeting));
    if (!input.open) {
      parts.push(say(settings.outOfHours).replaceAll('{nextOpening}', input.nextOpening ?? '—'));
      state.toldOutOfHours = true;
    }
  }
  const finish = (extra: Partial<TurnOutput> = {}): TurnOutput => ({ reply: parts.length ? parts.join('\n\n') : null, state, ...extra });

  if (wantsHuman(input.text, settings.handoff.keywords)) {
    parts.push(say(settings.handoff.reply));
    state = { ...state, phase: 'handed-off' };
    return finish({ handoff: { reason: 'the customer asked for a person', note: collectedNote(state.qualification?.collected) } });
  }
  if (state.phase === 'qualifying' && state.qualification) return qualifyingTurn(input, state, parts, say);

  const faq = input.faq(input.text, language);
  if (faq) parts.push(faq.answer);
  if (input.newConversation && settings.qualification.enabled) {
    const started = startQualification(settings.qualification, language, input.known);
    if (!started.done && started.reply) {
      parts.push(started.reply);
      state = { ...state, phase: 'qualifying', qualification: started.state };
      return finish();
    }
  }
  if (faq) return finish();
  if (input.newConversation) {
    state = { ...state, phase: 'handed-off' };
    return finish({ handoff: { reason: 'a new conversation' } });
  }
  parts.push(say(settings.cannotAnswer));
  state = { ...state, phase: 'handed-off' };
  return finish({ handoff: { reason: 'the bot could not answer', note: collectedNote(state.qualification?.collected) } });
}

function qualifyingTurn(input: TurnInput, state: BotState, parts: string[], say: (t: LocalizedText) => string): TurnOutput {
  const flow = input.settings.qualification;
  const current = state.qualification as QualificationState;
  const answer = answerQualification(flow, current, input.text, { language: input.language, ...(input.defaultCountry ? { defaultCountry: input.defaultCountry } : {}) });
  const faq = answer.accepted ? null : input.faq(input.text, input.language);
  if (faq) {
    // A question instead of an answer: answer it, then ask our question again (not the "sorry" text).
    const step = flow.steps[current.step];
    parts.push(faq.answer, ...(step ? [say(step.prompt)] : []));
    return { reply: parts.join('\n\n'), state };
  }
  parts.push(answer.reply);
  if (!answer.done) return { reply: parts.join('\n\n'), state: { ...state, qualification: answer.state } };
  const done: BotState = { ...state, phase: 'handed-off', qualification: answer.state };
  return { reply: parts.join('\n\n'), state: done, qualified: answer.collected, handoff: { reason: 'the bot qualified the lead', note: collectedNote(answer.collected) } };
}

/** "Bot collected — name: Ann; phone: +82…; need: …" for the manager's timeline. */
export function collectedNote(collected: Partial<Collected> | undefined): string | undefined {
  if (!collected) return undefined;
  const fields = Object.entries(collected).filter(([, v]) => typeof v === 'string' && v.length > 0);
  if (fields.length === 0) return undefined;
  return `Bot collected — ${fields.map(([k, v]) => `${k}: ${v as string}`).join('; ')}`;
}
