import type { ObjectId } from 'mongodb';
import type { Store } from '../../src/store/store.js';
import { INBOXES, insertInBatches, seedId, type SeedContext, type SeedInbox } from './report-dataset-kit.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** The first-response SLA the generated conversations carry. */
const SLA_MINUTES = 30;
const TEXTS = ['Hello, how much for a balcony window?', 'Can you come to measure on Tuesday?', 'Thank you!', 'Sure — what size is the opening?', 'We can measure on Tuesday at 10:00.', 'Here is the quote.'];
const TASK_TYPES = ['call', 'meeting', 'email', 'todo'] as const;

/** What messages need of a conversation. */
interface SeedConversation {
  _id: ObjectId;
  contactId: ObjectId;
  inbox: SeedInbox;
  openedAt: Date;
  firstResponseAt: Date | undefined;
  endAt: Date;
  assigneeId: ObjectId | undefined;
}

/**
 * Conversations over the span: a quarter resolved by the bot alone, the rest routed to a team
 * (website and Telegram mostly to the first, email and Discord to the second) and answered by
 * one of its people against a 30-minute first-response SLA; older ones resolved, the last
 * three days' partly still open.
 */
export async function insertConversations(store: Store, ctx: SeedContext, count: number): Promise<SeedConversation[]> {
  const teams = [...new Set(ctx.users.flatMap((u) => (u.teamId && u.answers ? [u.teamId] : [])))];
  const answering = new Map(teams.map((t) => [t, ctx.users.filter((u) => u.answers && u.teamId === t)]));
  const openKeys = new Set<string>();
  const planned: SeedConversation[] = [];
  const moments = Array.from({ length: count }, () => ctx.moment()).sort((a, b) => a.getTime() - b.getTime());
  await insertInBatches(store.conversations.collection, count, (i) => {
    const contact = ctx.contactBefore(moments[i]!);
    const openedAt = new Date(Math.max(moments[i]!.getTime(), contact.createdAt.getTime()));
    const inbox = ctx.chance(0.85) ? contact.inbox : ctx.pick(INBOXES);
    const recent = ctx.now.getTime() - openedAt.getTime() < 3 * DAY_MS;
    const botOnly = ctx.chance(0.25);
    const [usualTeam, otherTeam] = inbox.channel === 'webchat' || inbox.channel === 'telegram' ? [teams[0], teams[1] ?? teams[0]] : [teams[1] ?? teams[0], teams[0]];
    const teamId = botOnly ? undefined : ctx.chance(0.8) ? usualTeam : otherTeam;
    const assignee = teamId && ctx.chance(0.95) ? ctx.pick(answering.get(teamId)!) : undefined;
    const assignedAt = assignee ? ctx.after(openedAt, 2, 0.8) : undefined;
    const firstResponseAt = assignedAt && ctx.chance(0.95) ? ctx.after(openedAt, 12, 1.2) : undefined;
    const status = botOnly ? 'resolved' : recent ? ctx.weighted(['resolved', 'open', 'pending', 'snoozed'] as const, [50, 30, 15, 5]) : ctx.weighted(['resolved', 'pending', 'snoozed'] as const, [97, 2, 1]);
    const resolvedAt = status !== 'resolved' ? undefined : botOnly ? ctx.after(openedAt, 8, 0.6) : ctx.after(firstResponseAt ?? openedAt, 6 * 60, 1);
    const endAt = resolvedAt ?? new Date(Math.min(ctx.now.getTime(), (firstResponseAt ?? openedAt).getTime() + DAY_MS));
    const openKey = `${inbox.id}:${contact._id.toHexString()}`;
    const keyed = status !== 'resolved' && !openKeys.has(openKey);
    if (keyed) openKeys.add(openKey);
    const conversation: SeedConversation = { _id: seedId('conversation', i, openedAt), contactId: contact._id, inbox, openedAt, firstResponseAt, endAt, assigneeId: assignee?._id };
    planned.push(conversation);
    return {
      _id: conversation._id,
      number: i + 1,
      contactId: contact._id,
      inboxId: inbox.id,
      channel: inbox.channel,
      status,
      ...(keyed ? { openKey } : {}),
      recipientExternalId: `bench-${contact._id.toHexString()}`,
      ...(assignee ? { assigneeId: assignee._id, assignedAt } : {}),
      ...(teamId ? { teamId, routedAt: openedAt } : {}),
      routingState: botOnly ? 'bot' : assignee ? 'assigned' : 'queued',
      openedAt,
      sla: teamId ? { firstResponseDueAt: new Date(openedAt.getTime() + SLA_MINUTES * MINUTE_MS) } : {},
      tags: [],
      priority: 'normal',
      lastMessageAt: endAt,
      ...(firstResponseAt ? { firstResponseAt } : {}),
      ...(resolvedAt ? { resolvedAt } : {}),
      deskThreads: [],
      botState: {},
      createdAt: openedAt,
      updatedAt: endAt,
      __v: 0,
    };
  });
  return planned;
}

/**
 * Messages spread over their conversations (`count / conversations` on average, between 2 and
 * twice that minus 2, the total exact): the customer first, the first reply at the
 * conversation's first response, then turns in between up to its end.
 */
export async function insertMessages(store: Store, ctx: SeedContext, conversations: readonly SeedConversation[], count: number): Promise<void> {
  const average = Math.floor(count / conversations.length);
  const sizes = conversations.map(() => average);
  sizes[sizes.length - 1]! += count - average * conversations.length;
  // Pairs (the last conversation aside) move messages between them: sizes vary, the total stays exact.
  const swing = Math.max(0, average - 2);
  for (let c = 0; c + 1 < sizes.length - 1; c += 2) {
    const d = ctx.int(-swing, swing);
    sizes[c]! += d;
    sizes[c + 1]! -= d;
  }
  let c = 0;
  let j = 0;
  await insertInBatches(store.messages.collection, count, (i) => {
    while (j >= sizes[c]!) {
      c++;
      j = 0;
    }
    const conv = conversations[c]!;
    const n = sizes[c]!;
    const replyAt = conv.firstResponseAt ?? conv.openedAt;
    const createdAt = j === 0 ? conv.openedAt : new Date(replyAt.getTime() + ((conv.endAt.getTime() - replyAt.getTime()) * (j - 1)) / Math.max(1, n - 2));
    const inbound = j % 2 === 0;
    const byAgent = !inbound && conv.assigneeId !== undefined && (conv.firstResponseAt !== undefined || j > 1);
    j++;
    return {
      _id: seedId('message', i, createdAt),
      conversationId: conv._id,
      contactId: conv.contactId,
      inboxId: conv.inbox.id,
      channel: conv.inbox.channel,
      direction: inbound ? 'inbound' : 'outbound',
      authorKind: inbound ? 'contact' : byAgent ? 'agent' : 'bot',
      ...(byAgent ? { authorId: conv.assigneeId } : {}),
      text: TEXTS[i % TEXTS.length],
      attachments: [],
      private: false,
      automated: false,
      delivery: inbound ? { status: 'received', attempts: 0 } : { status: 'sent', attempts: 1, sentAt: createdAt },
      ...(inbound ? { receivedAt: createdAt } : {}),
      createdAt,
      updatedAt: createdAt,
      __v: 0,
    };
  });
}

/**
 * Tasks on deals (calls most often), due over the span and up to a month ahead; past ones mostly
 * done around their due time, so some are overdue.
 */
export async function insertTasks(store: Store, ctx: SeedContext, count: number): Promise<void> {
  const people = ctx.users.filter((u) => u.answers);
  await insertInBatches(store.tasks.collection, count, (i) => {
    const deal = ctx.pick(ctx.deals);
    const assigneeId = ctx.chance(0.8) ? deal.ownerId : ctx.pick(people)._id;
    const dueAt = new Date(Math.max(ctx.moment().getTime() + ctx.int(0, 30) * DAY_MS, deal.createdAt.getTime() + DAY_MS));
    const past = dueAt.getTime() < ctx.now.getTime() - DAY_MS;
    const done = ctx.chance(past ? 0.85 : 0.2);
    const createdAt = new Date(Math.min(ctx.now.getTime(), dueAt.getTime() - ctx.int(1, 7) * DAY_MS));
    const doneAt = done ? ctx.after(new Date(Math.min(dueAt.getTime(), ctx.now.getTime()) - 60 * MINUTE_MS), 60, 1) : undefined;
    const type = ctx.weighted(TASK_TYPES, [45, 20, 20, 15]);
    return {
      _id: seedId('task', i, createdAt),
      type,
      title: `${type[0]!.toUpperCase()}${type.slice(1)} about deal ${deal._id.toHexString().slice(-6)}`,
      dueAt,
      assigneeId,
      related: { contactId: deal.contactId, dealId: deal._id },
      done,
      ...(doneAt ? { doneAt } : {}),
      createdBy: assigneeId,
      createdAt,
      updatedAt: doneAt ?? createdAt,
      __v: 0,
    };
  });
}
