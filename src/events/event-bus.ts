import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Stage } from '../config/crm.schema.js';
import type { Actor } from '../domain/actor.js';
import type { MergeCounts } from '../domain/contact-merge.js';
import type { DealActor } from '../domain/deal-rules.js';
import type { CompanyDoc } from '../store/company.model.js';
import type { ContactDoc } from '../store/contact.model.js';
import type { ContactCompanyDoc } from '../store/contact-company.model.js';
import type { DealDoc } from '../store/deal.model.js';
import type { ConversationDoc } from '../store/conversation.model.js';
import type { MessageDoc } from '../store/message.model.js';
import type { TaskDoc } from '../store/task.model.js';

/** Every event Switchboard publishes, named `noun.past-verb`, with its payload. */
export interface SwitchboardEvents {
  'message.received': {
    message: MessageDoc;
    conversation: ConversationDoc;
    contact: ContactDoc;
    newContact: boolean;
    newConversation: boolean;
  };
  'message.queued': { message: MessageDoc };
  'message.sent': { message: MessageDoc };
  'message.failed': { message: MessageDoc; code: string };
  'conversation.opened': { conversation: ConversationDoc; contact: ContactDoc };
  'contact.created': { contact: ContactDoc };
  'contact.qualified': { contact: ContactDoc; conversation: ConversationDoc };
  /** A manager edited a contact; `changed` names the fields the request set. */
  'contact.updated': { contact: ContactDoc; changed: string[] };
  /** `duplicate` was merged into `survivor` (and is now a tombstone); `moved` counts what moved. */
  'contact.merged': { survivor: ContactDoc; duplicate: ContactDoc; moved: MergeCounts; actor: Actor };
  /** A channel said replies cannot reach the contact on `inboxId` (blocked the bot, account gone). */
  'contact.unreachable': { contact: ContactDoc; inboxId: string; reason: string };
  'company.created': { company: CompanyDoc };
  /** A person was added to a company, or their role/title/primary flag there changed. */
  'company.person-linked': { link: ContactCompanyDoc; created: boolean };
  /** Routing gave the conversation to a person; `reason` is the timeline sentence. */
  'conversation.assigned': { conversation: ConversationDoc; assigneeId: string; teamId: string; reason: string; previousAssigneeId?: string };
  /** Routing found nobody available: the conversation waits in the team queue. */
  'conversation.queued': { conversation: ConversationDoc; teamId: string; reason: string };
  'conversation.sla-reminded': { conversation: ConversationDoc; assigneeId: string };
  'conversation.escalated': { conversation: ConversationDoc; toUserId?: string; reason: string };
  /** A person closed (resolved) the conversation, or opened it again. */
  'conversation.resolved': { conversation: ConversationDoc; actor: Actor };
  'conversation.reopened': { conversation: ConversationDoc; actor: Actor };
  /** A private note (never sent to the customer) was added to the conversation. */
  'message.noted': { message: MessageDoc; conversation: ConversationDoc };
  /** A customer edited a message on the channel; `message` has the new text. */
  'message.edited': { message: MessageDoc; previousText: string };
  /** A customer deleted a message on the channel; it stays stored with `deletedAt`. */
  'message.deleted': { message: MessageDoc };
  /** A deal moved between stages (never for a move to its own stage); stage automations hook here. */
  /** A deal was created, in `stage` (which counts as entering it, for stage automations). */
  'deal.created': { deal: DealDoc; stage: Stage; actor: DealActor };
  'deal.stage-changed': { deal: DealDoc; fromStage: Stage; toStage: Stage; actor: DealActor };
  /** A stage automation's notice for the deal owner's desk (a DM from the Slack desk); `runId` keys it once. */
  'deal.desk-notice': { deal: DealDoc; text: string; automation: string; runId: string };
  /** A task's reminder time came (dueAt − leadMinutes); published once per task and due time. */
  'task.reminder-due': { task: TaskDoc; assigneeId: string };
  /** Once per local day per team: the team's undone tasks that are past due. */
  'task.overdue-reported': { teamId: string; date: string; headUserId?: string; tasks: TaskDoc[] };
}
export type EventName = keyof SwitchboardEvents;
export type EventHandler<E extends EventName> = (payload: SwitchboardEvents[E]) => void | Promise<void>;

/**
 * A typed in-process event bus. A failing handler is logged and never breaks the publisher or
 * the other handlers; `publish` resolves when every handler has finished.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly logger: Logger) {
    this.emitter.setMaxListeners(100);
  }

  on<E extends EventName>(event: E, handler: EventHandler<E>): () => void {
    this.emitter.on(event, handler);
    return () => this.emitter.off(event, handler);
  }

  async publish<E extends EventName>(event: E, payload: SwitchboardEvents[E]): Promise<void> {
    const handlers = this.emitter.listeners(event) as EventHandler<E>[];
    await Promise.all(
      handlers.map(async (handler) => {
        try {
          await handler(payload);
        } catch (err) {
          this.logger.error({ err, event }, 'event handler failed');
        }
      }),
    );
  }
}
