import type { Scope } from '../../../domain/access/permissions.js';
import type { Actor } from '../../../domain/actor.js';
import type { RecordId } from '../../../store/ids.js';
import { recordIdOf } from '../../../store/ids.js';
import type { Store } from '../../../store/store.js';

/** A person a report row is about: their id, name and email, as far as the users collection knows them. */
export interface ReportPerson {
  id: string;
  name: string;
  email?: string;
}

/** The users with these ids and emails, looked up once each (`_id` and email are plain fields). */
export async function findPeople(store: Store, ids: Iterable<string>, emails: Iterable<string>): Promise<{ byId: Map<string, ReportPerson>; byEmail: Map<string, ReportPerson> }> {
  const idList: RecordId[] = [...new Set(ids)].map(recordIdOf);
  const emailList = [...new Set(emails)];
  const or: Record<string, unknown>[] = [];
  if (idList.length) or.push({ _id: { $in: idList } });
  if (emailList.length) or.push({ email: { $in: emailList } });
  const users = or.length ? await store.users.find({ $or: or }, { name: 1, email: 1 }).lean() : [];
  const byId = new Map<string, ReportPerson>();
  const byEmail = new Map<string, ReportPerson>();
  for (const u of users) {
    const person: ReportPerson = { id: String(u._id), name: u.name, ...(u.email ? { email: u.email } : {}) };
    byId.set(person.id, person);
    if (u.email) byEmail.set(u.email, person);
  }
  return { byId, byEmail };
}

/** Whether a person (by user id; undefined for someone without a user) is within `scope` for `actor`. */
export function personInScope(actor: Actor, scope: Scope | undefined, userId: string | undefined): boolean {
  if (scope === 'all') return true;
  if (scope === undefined || userId === undefined) return false;
  if (userId === actor.userId) return true;
  return scope === 'team' && actor.teammateIds.includes(userId);
}
