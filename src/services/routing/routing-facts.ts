import type { ChannelKind } from '../../domain/channel-kind.js';
import { isOpenAt } from '../../domain/business-hours.js';
import { detectLanguage } from '../../domain/language.js';
import type { RoutingDecision, RoutingFacts } from '../../domain/routing-rules.js';
import type { ContactDoc } from '../../store/contact.model.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import type { RoutingDeps } from './route-conversation.service.js';

/** How many of the customer's latest messages keyword rules look at. */
const RECENT_MESSAGES = 5;

/** Gathers what the rules look at (recent text, language, tags, UTM, hours, owner) and applies them. */
export async function decideRouting(
  deps: Pick<RoutingDeps, 'store' | 'team' | 'autoReply' | 'decide'>,
  conversation: ConversationDoc,
  contact: ContactDoc,
  now: Date,
): Promise<RoutingDecision> {
  const recent = await deps.store.messages
    .find({ conversationId: conversation._id, direction: 'inbound' }, { text: 1 })
    .sort({ createdAt: -1 })
    .limit(RECENT_MESSAGES)
    .lean();
  const text = recent
    .map((m) => m.text)
    .reverse()
    .join('\n');
  const hours = deps.team.businessHours[deps.autoReply.businessHours];
  const facts: RoutingFacts = {
    inboxId: conversation.inboxId,
    channel: conversation.channel as ChannelKind,
    text,
    language:
      conversation.language ??
      detectLanguage(text, { ...(contact.locale ? { locale: contact.locale } : {}), supported: deps.autoReply.languages, fallback: deps.autoReply.defaultLanguage }),
    tags: [...new Set([...contact.tags, ...conversation.tags])],
    ...(contact.source?.utm ? { utm: { ...(contact.source.utm.source ? { source: contact.source.utm.source } : {}), ...(contact.source.utm.campaign ? { campaign: contact.source.utm.campaign } : {}) } } : {}),
    withinBusinessHours: hours ? isOpenAt(hours, now) : true,
    ...(contact.ownerId ? { ownerId: String(contact.ownerId) } : {}),
  };
  return deps.decide(facts);
}
