import type { Clock } from '../domain/clock.js';
import type { ActivityActor, ActivityDoc } from '../store/activity.model.js';
import type { RecordId } from '../store/ids.js';
import type { Store } from '../store/store.js';

export interface ActivityInput {
  conversationId?: RecordId;
  contactId?: RecordId;
  kind: string;
  text: string;
  data?: Record<string, unknown>;
  actor?: ActivityActor;
}

/** Appends one entry to a conversation's (and its contact's) timeline. */
export async function recordActivity(store: Store, clock: Clock, input: ActivityInput): Promise<ActivityDoc> {
  const created = await store.activities.create({
    ...input,
    data: input.data ?? {},
    actor: input.actor ?? { kind: 'system' },
    at: clock(),
  });
  return created.toObject();
}
