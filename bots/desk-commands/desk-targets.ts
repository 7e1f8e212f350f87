import { escapeRegex } from '../../src/domain/contact-search.js';
import { NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { getConversation } from '../../src/services/conversation-queries.service.js';
import { findConversationByRef } from '../../src/services/conversations/conversation-number.service.js';
import type { ConversationDoc } from '../../src/store/conversation.model.js';
import type { Store } from '../../src/store/store.js';
import type { UserDoc } from '../../src/store/user.model.js';
import type { DeskCommandContext } from './desk-command.types.js';

/**
 * The conversation a command is about: the one named (#17), else the thread it was typed in —
 * one the actor may read ("not found or not allowed", named as typed, otherwise). Neither given
 * → a ValidationError saying how to name one.
 */
export async function targetConversation(store: Store, ctx: DeskCommandContext, ref: string | undefined, usage: string): Promise<ConversationDoc> {
  const typed = ref ?? ctx.conversationId;
  if (!typed) throw new ValidationError(`which conversation? Type this inside its thread, or add its number: ${usage}`, [{ path: 'conversation', message: 'no conversation given' }]);
  const found = await findConversationByRef(store, typed);
  try {
    return await getConversation(store, ctx.actor, String(found._id));
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError('conversation', ref ? asTyped(ref) : conversationLabel(found));
    throw err;
  }
}

/** A conversation reference as the person typed it: `17` and `#17` both read `#17`. */
function asTyped(ref: string): string {
  const trimmed = ref.trim();
  return /^#?\d+$/.test(trimmed) ? `#${trimmed.replace(/^#/, '')}` : trimmed.slice(0, 40);
}

/** `#17` for people, or the id while a conversation has no number yet. */
export function conversationLabel(conversation: Pick<ConversationDoc, '_id' | 'number'>): string {
  return conversation.number ? `#${conversation.number}` : String(conversation._id);
}

/**
 * The active user a person means: `me`, an email (`@ann@example.com` or plain), or a name —
 * exact (any case) first, else the only one whose name starts with it.
 */
export async function findUserByHandle(store: Store, ctx: DeskCommandContext, handle: string): Promise<UserDoc> {
  const text = handle.trim().replace(/^@/, '');
  const lower = text.toLowerCase();
  if (lower === 'me') {
    const me = await store.users.findById(ctx.actor.userId).lean();
    if (me?.active) return me;
  } else if (text.includes('@')) {
    const byEmail = await store.users.findOne({ email: lower, active: true }).lean();
    if (byEmail) return byEmail;
  } else {
    const exact = await store.users.find({ active: true, name: new RegExp(`^${escapeRegex(text)}$`, 'i') }).limit(2).lean();
    if (exact.length === 1 && exact[0]) return exact[0];
    const prefix = exact.length ? exact : await store.users.find({ active: true, name: new RegExp(`^${escapeRegex(text)}`, 'i') }).limit(6).lean();
    if (prefix.length === 1 && prefix[0]) return prefix[0];
    if (prefix.length > 1) throw new ValidationError(`"${text}" could be ${prefix.map((u) => u.name).join(', ')}; give the email instead`, [{ path: 'user', message: 'ambiguous' }]);
  }
  throw new ValidationError(`no active user "${text.slice(0, 60)}"; use me, an email or a teammate's name`, [{ path: 'user', message: 'unknown user' }]);
}
