import type { CrmSettings } from '../../config/crm.schema.js';
import { formatMinorUnits } from '../../domain/money.js';
import type { ConversationStatus } from '../../store/conversation.model.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';

/** What a desk's contact card shows, read fresh from the store each time the card is drawn. */
export interface DeskCardView {
  conversationId: string;
  number?: number;
  contactName: string;
  channel: string;
  inboxName: string;
  /** "utm: google / cpc / spring" or the page/referrer the lead came from. */
  source?: string;
  ownerName?: string;
  assigneeName?: string;
  status: ConversationStatus;
  deal?: { number: number; title: string; amount: string; stage: string; pipelineId: string };
}

/** The contact's open deal (newest first), whose pipeline may pick the desk channel. */
export async function openDealOf(store: Store, contactId: RecordId) {
  return store.deals.findOne({ contactId, status: 'open' }).sort({ createdAt: -1 }).lean();
}

/** Loads the card of a conversation; null when the conversation is gone. */
export async function loadDeskCardView(store: Store, crm: CrmSettings, conversationId: RecordId | string): Promise<DeskCardView | null> {
  const conversation = await store.conversations.findById(conversationId).lean();
  if (!conversation) return null;
  const [contact, inbox, deal] = await Promise.all([store.contacts.findById(conversation.contactId).lean(), store.inboxes.findById(conversation.inboxId).lean(), openDealOf(store, conversation.contactId)]);
  const [owner, assignee] = await Promise.all([contact?.ownerId ? store.users.findById(contact.ownerId, { name: 1 }).lean() : null, conversation.assigneeId ? store.users.findById(conversation.assigneeId, { name: 1 }).lean() : null]);
  const pipeline = deal ? crm.pipelines.find((p) => p.id === deal.pipelineId) : undefined;
  const source = sourceLine(contact?.source);
  return {
    conversationId: String(conversation._id),
    ...(conversation.number ? { number: conversation.number } : {}),
    contactName: contact?.name ?? 'Unknown contact',
    channel: conversation.channel,
    inboxName: inbox?.name ?? conversation.inboxId,
    ...(source ? { source } : {}),
    ...(owner ? { ownerName: owner.name } : {}),
    ...(assignee ? { assigneeName: assignee.name } : {}),
    status: conversation.status,
    ...(deal
      ? { deal: { number: deal.number, title: deal.title, amount: `${formatMinorUnits(deal.amountMinor, deal.currency)} ${deal.currency}`, stage: pipeline?.stages.find((s) => s.id === deal.stageId)?.name ?? deal.stageId, pipelineId: deal.pipelineId } }
      : {}),
  };
}

function sourceLine(source: { url?: string; referrer?: string; utm?: Record<string, string | undefined> } | undefined): string | undefined {
  if (!source) return undefined;
  const utm = source.utm ? [source.utm.source, source.utm.medium, source.utm.campaign].filter(Boolean).join(' / ') : '';
  if (utm) return `utm: ${utm}`;
  return source.referrer ?? source.url;
}
