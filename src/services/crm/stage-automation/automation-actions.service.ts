import { renderTemplate, type AutomationAction, type TemplateValues } from '../../../domain/stage-automation.js';
import { VersionConflictError } from '../../../domain/version-conflict-error.js';
import type { DealDoc } from '../../../store/deal.model.js';
import { findDeal, updateAtVersion } from '../deal-access.service.js';
import { AutomationActionError, type StageAutomationDeps } from './automation-deps.js';
import { createAutomationTask } from './automation-task.service.js';

/** Which run is acting, for idempotency keys and texts. */
export interface ActionContext {
  runId: string;
  automationName: string;
}

const WEBHOOK_TIMEOUT_MS = 10_000;
const SET_FIELD_TRIES = 5;

/** Everything a template may name, read fresh for the action. */
export async function templateValues(deps: StageAutomationDeps, deal: DealDoc): Promise<TemplateValues> {
  const [contact, owner] = await Promise.all([
    deal.contactId ? deps.store.contacts.findById(deal.contactId, { name: 1 }).lean() : null,
    deps.store.users.findById(deal.ownerId, { name: 1 }).lean(),
  ]);
  const stage = deps.crm.pipelines.find((p) => p.id === deal.pipelineId)?.stages.find((s) => s.id === deal.stageId);
  return {
    deal: { number: deal.number, title: deal.title, amountMinor: deal.amountMinor, currency: deal.currency, stage: stage?.name ?? deal.stageId },
    contact: contact?.name ? { name: contact.name } : {},
    owner: owner?.name ? { name: owner.name } : {},
    ...(deps.crm.paymentDetails ? { paymentDetails: deps.crm.paymentDetails } : {}),
  };
}

/** Performs one action for `deal`; resolves with what it did, in words, or throws. */
export async function performAction(deps: StageAutomationDeps, deal: DealDoc, action: AutomationAction, ctx: ActionContext): Promise<string> {
  switch (action.type) {
    case 'send_message':
      return sendClientMessage(deps, deal, renderTemplate(action.text, await templateValues(deps, deal)), ctx);
    case 'create_task':
      return createAutomationTask(deps, deal, action, renderTemplate(action.title, await templateValues(deps, deal)), ctx.runId);
    case 'notify_desk':
      return notifyDesk(deps, deal, renderTemplate(action.text, await templateValues(deps, deal)), ctx);
    case 'webhook':
      return postWebhook(deal, action.url, ctx);
    case 'set_field':
      return setDealField(deps, deal, action.field, action.value);
  }
}

/** Writes to the client in their latest conversation; the run key makes a retried send a no-op. */
async function sendClientMessage(deps: StageAutomationDeps, deal: DealDoc, text: string, ctx: ActionContext): Promise<string> {
  if (!deal.contactId) throw new AutomationActionError('the deal has no client to write to', false);
  const [conversation] = await deps.store.conversations.find({ contactId: deal.contactId }).sort({ lastMessageAt: -1, _id: -1 }).limit(1).lean();
  if (!conversation) throw new AutomationActionError('the client has no conversation on any channel yet', false);
  const owner = await deps.store.users.findById(deal.ownerId, { name: 1 }).lean();
  await deps.sendReply({
    conversationId: String(conversation._id),
    text,
    author: { kind: 'bot', ...(owner?.name ? { name: owner.name } : {}) },
    idempotencyKey: `automation:${ctx.runId}`,
  });
  return `Sent to the client on ${conversation.channel}: ${text}`;
}

/** Hands the notice to the owner's desk; with no Slack or Telegram account linked, no desk could show it. */
async function notifyDesk(deps: StageAutomationDeps, deal: DealDoc, text: string, ctx: ActionContext): Promise<string> {
  const owner = await deps.store.users.findById(deal.ownerId, { slackUserId: 1, telegramUserId: 1 }).lean();
  if (!owner?.slackUserId && !owner?.telegramUserId) throw new AutomationActionError('the owner has no Slack or Telegram account linked; no desk can show this notice', false);
  await deps.events.publish('deal.desk-notice', { deal, text, automation: ctx.automationName, runId: ctx.runId });
  return `Desk notice queued for the owner's desk: ${text}`;
}

/** The deal as a webhook receives it. */
function webhookBody(deal: DealDoc, automation: string) {
  return {
    event: 'deal.stage-automation',
    automation,
    deal: {
      id: String(deal._id),
      number: deal.number,
      title: deal.title,
      pipelineId: deal.pipelineId,
      stageId: deal.stageId,
      status: deal.status,
      amountMinor: deal.amountMinor,
      currency: deal.currency,
      contactId: deal.contactId ? String(deal.contactId) : null,
      companyId: deal.companyId ? String(deal.companyId) : null,
      ownerId: String(deal.ownerId),
      probability: deal.probability ?? null,
      customFields: deal.customFields ?? {},
      updatedAt: deal.updatedAt,
    },
  };
}

/** POSTs the deal as JSON; a non-2xx answer, a timeout or a network error is retried. */
async function postWebhook(deal: DealDoc, url: string, ctx: ActionContext): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': ctx.runId },
      body: JSON.stringify(webhookBody(deal, ctx.automationName)),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (err) {
    throw new AutomationActionError(`webhook ${url} could not be reached: ${(err as Error).message}`, true);
  }
  await res.body?.cancel();
  if (!res.ok) throw new AutomationActionError(`webhook ${url} answered HTTP ${res.status}`, true);
  return `Webhook ${url} answered HTTP ${res.status}`;
}

type FieldValue = string | number | boolean | null;

function fieldUpdate(field: string, value: FieldValue): { $set?: Record<string, unknown>; $unset?: Record<string, 1> } {
  if (field === 'probability') {
    if (typeof value !== 'number' || value < 0 || value > 100) throw new AutomationActionError(`probability must be a number from 0 to 100, not ${JSON.stringify(value)}`, false);
    return { $set: { probability: value } };
  }
  return value === null ? { $unset: { [field]: 1 } } : { $set: { [field]: value } };
}

/**
 * Sets a deal field as the system: no ownership check, but a version-checked write that bumps
 * the version, re-read and retried when someone changed the deal meanwhile.
 */
async function setDealField(deps: StageAutomationDeps, deal: DealDoc, field: string, value: FieldValue): Promise<string> {
  const update = fieldUpdate(field, value);
  let current = deal;
  for (let attempt = 1; ; attempt++) {
    try {
      await updateAtVersion(deps, current._id, current.version, update);
      return `Set ${field} to ${JSON.stringify(value)}`;
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= SET_FIELD_TRIES) throw err;
      current = await findDeal(deps.store, String(deal._id));
    }
  }
}
