import type { Agenda, Job } from 'agenda';
import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import type { AutoReplySettings } from '../../src/config/auto-reply.schema.js';
import type { TeamSettings } from '../../src/config/team.schema.js';
import { pickText } from '../../src/domain/localized-text.js';
import { isOpenAt, nextOpeningAt } from '../../src/domain/business-hours.js';
import type { Clock } from '../../src/domain/clock.js';
import type { FaqEntry } from '../../src/domain/faq.js';
import { detectLanguage } from '../../src/domain/language.js';
import type { EventBus } from '../../src/events/event-bus.js';
import {
  acquireBotLease,
  conversationsWithUnhandledInbound,
  markBotHandled,
  recordQualifiedLead,
  releaseBotLease,
  saveBotState,
  unhandledInbound,
} from '../../src/services/bot-conversation.service.js';
import type { RouteOutcome, RouteTrigger } from '../../src/services/routing/route-conversation.service.js';
import type { SendReplyInput } from '../../src/services/send-reply.service.js';
import type { ContactDoc } from '../../src/store/contact.model.js';
import type { ConversationDoc } from '../../src/store/conversation.model.js';
import type { MessageDoc } from '../../src/store/message.model.js';
import type { Store } from '../../src/store/store.js';
import { botTurn, type BotState } from './auto-reply.turn.js';
import { nextOpeningText } from './next-opening-text.js';

export const AUTO_REPLY_JOB = 'auto-reply';
const LEASE_MS = 30_000;

export interface AutoReplyDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  settings: AutoReplySettings;
  team: TeamSettings;
  faq: (text: string, language: string) => FaqEntry | null;
  sendReply: (input: SendReplyInput) => Promise<unknown>;
  route: (conversationId: string, trigger: RouteTrigger) => Promise<RouteOutcome>;
  defaultCountry?: CountryCode;
  /** How often to look for customer messages whose turn was lost. */
  sweepIntervalMs: number;
}

class ConversationBusy extends Error {
  readonly code = 'bot_conversation_busy';
}

/**
 * The customer-facing auto-reply bot. Every stored customer message queues a durable job; the
 * job takes the conversation's lease and handles its unhandled messages in order, so turns
 * survive restarts and never interleave across instances. Replies go through send-reply (the
 * durable delivery pipeline) with an idempotency key per message, so a retried turn never
 * answers twice.
 */
export function registerAutoReplyBot(agenda: Agenda, deps: AutoReplyDeps): void {
  agenda.define<{ conversationId: string }>(AUTO_REPLY_JOB, (job: Job<{ conversationId: string }>) => runTurns(deps, job.attrs.data.conversationId), {
    removeOnComplete: true,
    lockLifetime: LEASE_MS,
    backoff: ({ attempt, error }) => (error instanceof ConversationBusy ? 200 : attempt <= 5 ? 500 * 2 ** attempt : null),
  });
  // Turns are idempotent (each message is marked handled), so a duplicate job is a no-op and
  // queuing needs no uniqueness check — a plain insert keeps the inbound path cheap.
  const queueTurn = async (conversationId: string) => {
    await agenda.create(AUTO_REPLY_JOB, { conversationId }).save();
  };
  deps.events.on('message.received', async ({ message }) => {
    if (deps.settings.enabled && !message.automated) await queueTurn(String(message.conversationId));
  });
  deps.events.on('conversation.queued', ({ conversation }) => tellQueued(deps, conversation));
  if (deps.settings.enabled) scheduleLostTurnSweep(agenda, deps, queueTurn);
}

export const AUTO_REPLY_SWEEP_JOB = 'auto-reply-sweep';
const LOST_AFTER_MS = 30_000;

/** Periodically queues turns for customer messages of the last day that the bot never saw. */
function scheduleLostTurnSweep(agenda: Agenda, deps: AutoReplyDeps, queueTurn: (conversationId: string) => Promise<void>): void {
  agenda.define(AUTO_REPLY_SWEEP_JOB, async () => {
    const now = deps.clock().getTime();
    const lost = await conversationsWithUnhandledInbound(deps.store, new Date(now - 86_400_000), new Date(now - LOST_AFTER_MS));
    for (const conversationId of lost) await queueTurn(conversationId);
    if (lost.length) deps.logger.warn({ conversations: lost.length }, 'queued bot turns that were lost');
  });
  void agenda.every(deps.sweepIntervalMs, AUTO_REPLY_SWEEP_JOB).catch((err: unknown) => deps.logger.error({ err }, 'could not schedule the bot sweep'));
}

async function runTurns(deps: AutoReplyDeps, conversationId: string): Promise<void> {
  const now = deps.clock();
  const conversation = await acquireBotLease(deps.store, conversationId, now, new Date(now.getTime() + LEASE_MS));
  if (!conversation) throw new ConversationBusy(`conversation ${conversationId} is being handled elsewhere`);
  try {
    let current = conversation;
    for (const message of await unhandledInbound(deps.store, conversationId)) {
      current = (await turn(deps, current, message)) ?? current;
      await markBotHandled(deps.store, String(message._id), deps.clock());
    }
  } finally {
    await releaseBotLease(deps.store, conversationId);
  }
}

/** The bot stays out once a manager has written or the conversation was handed over. */
function isQuiet(conversation: ConversationDoc, message: MessageDoc): boolean {
  const state = conversation.botState as BotState;
  return message.automated || Boolean(conversation.firstResponseAt) || state.phase === 'handed-off';
}

async function turn(deps: AutoReplyDeps, conversation: ConversationDoc, message: MessageDoc): Promise<ConversationDoc | null> {
  if (isQuiet(conversation, message)) return null;
  const contact = await deps.store.contacts.findById(conversation.contactId).lean();
  if (!contact) return null;
  const state = conversation.botState as BotState;
  const language = conversation.language ?? detectLanguage(message.text, { ...(contact.locale ? { locale: contact.locale } : {}), supported: deps.settings.languages, fallback: deps.settings.defaultLanguage });
  const hours = deps.team.businessHours[deps.settings.businessHours];
  const now = deps.clock();
  const output = botTurn({
    settings: deps.settings,
    state,
    text: message.text,
    newConversation: !state.phase,
    language,
    open: hours ? isOpenAt(hours, now) : true,
    nextOpening: hours ? nextOpeningText(nextOpeningAt(hours, now), language, hours.timeZone) : null,
    known: knownAbout(contact),
    faq: deps.faq,
    ...(deps.defaultCountry ? { defaultCountry: deps.defaultCountry } : {}),
  });
  const id = String(conversation._id);
  if (output.reply) await deps.sendReply({ conversationId: id, text: output.reply, author: { kind: 'bot', name: deps.settings.botName }, idempotencyKey: `bot:${String(message._id)}` });
  await saveBotState(deps.store, id, output.state, language);
  if (output.qualified) await recordQualifiedLead(deps, contact, conversation, output.qualified);
  if (output.handoff) await deps.route(id, output.handoff);
  return { ...conversation, botState: output.state as Record<string, unknown>, language };
}

function knownAbout(contact: ContactDoc): { name?: string; email?: string; phone?: string } {
  return {
    ...(contact.name ? { name: contact.name } : {}),
    ...(contact.emails[0] ? { email: contact.emails[0] } : {}),
    ...(contact.phones[0] ? { phone: contact.phones[0] } : {}),
  };
}

/** Nobody could take the conversation: say so once, unless the out-of-hours text already did. */
async function tellQueued(deps: AutoReplyDeps, conversation: ConversationDoc): Promise<void> {
  const state = conversation.botState as BotState;
  if (!deps.settings.enabled || state.toldOutOfHours || conversation.firstResponseAt) return;
  const language = conversation.language ?? deps.settings.defaultLanguage;
  const teamHoursKey = deps.team.teams.find((t) => t.id === conversation.teamId)?.businessHours ?? deps.settings.businessHours;
  const hours = deps.team.businessHours[teamHoursKey];
  const when = hours ? nextOpeningText(nextOpeningAt(hours, deps.clock()), language, hours.timeZone) : null;
  const template = pickText(deps.settings.nobodyAvailable, language, deps.settings.defaultLanguage);
  await deps.sendReply({
    conversationId: String(conversation._id),
    text: template.replaceAll('{nextOpening}', when ?? '—'),
    author: { kind: 'bot', name: deps.settings.botName },
    idempotencyKey: `queued:${String(conversation._id)}`,
  });
}
