import { ROLE_ALIASES } from '../../../domain/access/permissions.js';
import { SYSTEM_ACTOR } from '../../../domain/actor.js';
import type { AutomationAction } from '../../../domain/stage-automation.js';
import type { DealDoc } from '../../../store/deal.model.js';
import type { UserDoc } from '../../../store/user.model.js';
import { createTask } from '../tasks.service.js';
import { AutomationActionError, type StageAutomationDeps } from './automation-deps.js';

type CreateTaskAction = Extract<AutomationAction, { type: 'create_task' }>;

const MINUTE_MS = 60_000;

function noAssignee(why: string): AutomationActionError {
  return new AutomationActionError(`no one to give the task to: ${why}`, false);
}

async function activeByEmail(deps: StageAutomationDeps, email: string): Promise<UserDoc | null> {
  const user = await deps.store.users.findOne({ email: email.toLowerCase() }).lean();
  return user?.active ? user : null;
}

/**
 * The first active user with `role` (oldest first), one in the owner's teams if there is one.
 * An old role name in crm.json ("supervisor") means the role users now have ("head_of_sales").
 */
async function firstWithRole(deps: StageAutomationDeps, role: UserDoc['role'], owner: UserDoc | null): Promise<UserDoc | null> {
  const users = await deps.store.users.find({ role: ROLE_ALIASES[role] ?? role, active: true }).sort({ createdAt: 1, _id: 1 }).lean();
  const ownerTeams = new Set(owner?.teamIds ?? []);
  return users.find((u) => u.teamIds.some((t) => ownerTeams.has(t))) ?? users[0] ?? null;
}

/** Resolves the action's assignee at run time; an unknown or inactive person fails the run with the reason. */
async function resolveAssignee(deps: StageAutomationDeps, deal: DealDoc, assignee: CreateTaskAction['assignee']): Promise<UserDoc> {
  const owner = await deps.store.users.findById(deal.ownerId).lean();
  if (assignee === 'owner') {
    if (!owner?.active) throw noAssignee('the deal owner is no longer an active user');
    return owner;
  }
  if (assignee === 'team_head') {
    const heads = deps.team.teams.filter((t) => t.head && owner?.teamIds.includes(t.id)).map((t) => t.head as string);
    for (const email of heads) {
      const head = await activeByEmail(deps, email);
      if (head) return head;
    }
    throw noAssignee("the owner's teams have no active head in config/team.json");
  }
  if ('email' in assignee) {
    const user = await activeByEmail(deps, assignee.email);
    if (!user) throw noAssignee(`no active user with email ${assignee.email} (add them to config/team.json)`);
    return user;
  }
  const user = await firstWithRole(deps, assignee.role, owner);
  if (!user) throw noAssignee(`no active user with role "${assignee.role}"`);
  return user;
}

/** Creates the task on the deal (and its client), due `dueInMinutes` from now; once per run, however often it is retried. */
export async function createAutomationTask(deps: StageAutomationDeps, deal: DealDoc, action: CreateTaskAction, title: string, runId: string): Promise<string> {
  const assignee = await resolveAssignee(deps, deal, action.assignee);
  const dueAt = new Date(deps.clock().getTime() + action.dueInMinutes * MINUTE_MS);
  // Automations act as Switchboard itself, not as the deal's owner.
  const task = await createTask(deps, SYSTEM_ACTOR, {
    type: action.taskType,
    title: title.slice(0, 200),
    assigneeId: String(assignee._id),
    related: { dealId: String(deal._id), ...(deal.contactId ? { contactId: String(deal.contactId) } : {}) },
    dueAt: dueAt.toISOString(),
  }, { requestKey: `automation:${runId}` });
  return `Task for ${assignee.name}: ${task.title}`;
}
