import type { Clock } from '../../domain/clock.js';
import { emptyMergeCounts, type MergeCounts } from '../../domain/contact-merge.js';
import { contactCompanyLinkKey, LINK_KEY_INDEX, type ContactCompanyDoc } from '../../store/contact-company.model.js';
import type { ConversationDoc } from '../../store/conversation.model.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { RecordId } from '../../store/ids.js';
import type { Store } from '../../store/store.js';
import { openConversationKey } from '../open-conversation.service.js';
import { recordActivity } from '../record-activity.service.js';

/** Who moves to whom, with the store and clock to do it. */
export interface MoveContext {
  store: Store;
  clock: Clock;
  survivorId: RecordId;
  duplicateId: RecordId;
}

const OPEN_KEY_INDEX = 'conversation_open_key';

/**
 * Re-points everything that belongs to the duplicate at the survivor: identity claims,
 * conversations (an open one on an inbox where the survivor has one too is folded into the
 * survivor's), messages, deals, tasks, company links and timeline entries. Every step selects
 * by "still on the duplicate", so a second run after a crash moves only what the first did not.
 */
export async function moveContactRecords(ctx: MoveContext): Promise<MergeCounts> {
  const counts = emptyMergeCounts();
  counts.identities = await moveIdentities(ctx);
  const conversations = await moveConversations(ctx);
  counts.conversations = conversations.moved;
  counts.conversationsCombined = conversations.combined;
  counts.messages = conversations.messages + (await moveMessages(ctx));
  counts.deals = await moveDeals(ctx);
  counts.tasks = await moveTasks(ctx);
  counts.companyLinks = await moveCompanyLinks(ctx);
  counts.activities = await moveActivities(ctx);
  return counts;
}

async function moveIdentities({ store, survivorId, duplicateId }: MoveContext): Promise<number> {
  const res = await store.identities.updateMany({ contactId: duplicateId }, { $set: { contactId: survivorId } });
  return res.modifiedCount;
}

async function moveConversations(ctx: MoveContext): Promise<{ moved: number; combined: number; messages: number }> {
  const result = { moved: 0, combined: 0, messages: 0 };
  const conversations = await ctx.store.conversations.find({ contactId: ctx.duplicateId }).lean();
  for (const conversation of conversations) {
    const outcome = await moveConversation(ctx, conversation);
    if (outcome === 'moved') result.moved += 1;
    else if (typeof outcome === 'number') {
      result.combined += 1;
      result.messages += outcome;
    }
  }
  return result;
}

/** 'moved', the number of messages folded into the survivor's open conversation, or 'gone'. */
async function moveConversation(ctx: MoveContext, conversation: ConversationDoc): Promise<'moved' | 'gone' | number> {
  const { store, survivorId, duplicateId } = ctx;
  if (conversation.openKey) {
    const outcome = await moveOpenConversation(ctx, conversation, conversation.openKey);
    if (outcome !== 'resolved-meanwhile') return outcome;
  }
  const res = await store.conversations.updateOne({ _id: conversation._id, contactId: duplicateId, openKey: { $exists: false } }, { $set: { contactId: survivorId } });
  return res.matchedCount ? 'moved' : 'gone';
}

async function moveOpenConversation(ctx: MoveContext, conversation: ConversationDoc, currentKey: string): Promise<'moved' | 'resolved-meanwhile' | number> {
  const { store, survivorId, duplicateId } = ctx;
  const openKey = openConversationKey(conversation.inboxId, String(survivorId));
  // Twice at most: the survivor's open conversation may be resolved between our two reads.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      // The filter keeps its openKey: a conversation resolved meanwhile must not be reopened here.
      const res = await store.conversations.updateOne({ _id: conversation._id, contactId: duplicateId, openKey: currentKey }, { $set: { contactId: survivorId, openKey } });
      return res.matchedCount ? 'moved' : 'resolved-meanwhile';
    } catch (err) {
      if (!isDuplicateKeyError(err, OPEN_KEY_INDEX)) throw err;
      const target = await store.conversations.findOne({ openKey }).lean();
      if (target) return combineConversations(ctx, conversation, target);
    }
  }
  throw new Error(`conversation ${String(conversation._id)}: the open conversation on ${conversation.inboxId} kept changing during the merge`);
}

/**
 * Both contacts had an unresolved conversation on one inbox, and only one may stay open: the
 * survivor's keeps going with the duplicate's messages (timestamps untouched, so they interleave
 * in time order), and the emptied one is resolved with a note saying where they went.
 * Messages move before the close, so a crash in between leaves a conversation a re-run closes.
 */
async function combineConversations(ctx: MoveContext, from: ConversationDoc, into: ConversationDoc): Promise<number> {
  const { store, clock, survivorId } = ctx;
  // Not a change the customer sees: keeping updatedAt stops live feeds from re-sending them.
  const moved = await store.messages.updateMany({ conversationId: from._id }, { $set: { conversationId: into._id, contactId: survivorId } }, { timestamps: false });
  const newer = from.lastMessageAt && (!into.lastMessageAt || from.lastMessageAt > into.lastMessageAt);
  if (newer) await store.conversations.updateOne({ _id: into._id }, { $max: { lastMessageAt: from.lastMessageAt }, ...(from.lastMessagePreview ? { $set: { lastMessagePreview: from.lastMessagePreview } } : {}) });
  await store.conversations.updateOne({ _id: from._id }, { $set: { contactId: survivorId, status: 'resolved', resolvedAt: clock() }, $unset: { openKey: '' } });
  const data = { fromConversationId: String(from._id), intoConversationId: String(into._id), messages: moved.modifiedCount };
  await recordActivity(store, clock, { conversationId: from._id, contactId: survivorId, kind: 'conversation.merged', text: `Closed after merging contacts: its ${moved.modifiedCount} message(s) moved to the contact's open conversation on this inbox`, data });
  await recordActivity(store, clock, { conversationId: into._id, contactId: survivorId, kind: 'conversation.merged', text: `${moved.modifiedCount} message(s) from a merged contact's conversation on this inbox moved here`, data });
  return moved.modifiedCount;
}

async function moveMessages({ store, survivorId, duplicateId }: MoveContext): Promise<number> {
  const res = await store.messages.updateMany({ contactId: duplicateId }, { $set: { contactId: survivorId } }, { timestamps: false });
  return res.modifiedCount;
}

async function moveDeals({ store, clock, survivorId, duplicateId }: MoveContext): Promise<number> {
  // A new contact is a change: the version grows, so an edit made on the old one conflicts.
  const res = await store.deals.updateMany({ contactId: duplicateId }, { $set: { contactId: survivorId, updatedAt: clock() }, $inc: { version: 1 } });
  return res.modifiedCount;
}

async function moveTasks({ store, survivorId, duplicateId }: MoveContext): Promise<number> {
  const res = await store.tasks.updateMany({ 'related.contactId': duplicateId }, { $set: { 'related.contactId': survivorId } });
  return res.modifiedCount;
}

async function moveActivities({ store, survivorId, duplicateId }: MoveContext): Promise<number> {
  const res = await store.activities.updateMany({ contactId: duplicateId }, { $set: { contactId: survivorId } });
  return res.modifiedCount;
}

async function moveCompanyLinks(ctx: MoveContext): Promise<number> {
  const links = await ctx.store.contactCompanies.find({ contactId: ctx.duplicateId }).lean();
  for (const link of links) await moveCompanyLink(ctx, link);
  return links.length;
}

const survivorHasPrimary = async ({ store, survivorId }: MoveContext) => Boolean(await store.contactCompanies.exists({ contactId: survivorId, primary: true }));

/** The survivor's own link to a company wins; the duplicate's only fills its blanks, then goes. */
async function moveCompanyLink(ctx: MoveContext, link: ContactCompanyDoc): Promise<void> {
  const { store, survivorId } = ctx;
  const linkKey = contactCompanyLinkKey(survivorId, link.companyId);
  let existing = await store.contactCompanies.findOne({ linkKey }).lean();
  if (!existing) {
    const primary = link.primary && !(await survivorHasPrimary(ctx));
    try {
      await store.contactCompanies.updateOne({ _id: link._id }, { $set: { contactId: survivorId, linkKey, primary } });
      return;
    } catch (err) {
      if (!isDuplicateKeyError(err, LINK_KEY_INDEX)) throw err;
      existing = await store.contactCompanies.findOne({ linkKey }).lean();
      if (!existing) throw err;
    }
  }
  const $set: Record<string, unknown> = {};
  if (!existing.title && link.title) $set.title = link.title;
  if (!existing.primary && link.primary && !(await survivorHasPrimary(ctx))) $set.primary = true;
  if (Object.keys($set).length) await store.contactCompanies.updateOne({ _id: existing._id }, { $set });
  await store.contactCompanies.deleteOne({ _id: link._id });
}
