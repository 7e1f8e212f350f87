import { z } from 'zod';
// Only the role names (a plain constant); the user model itself stays in the store.

const Delay = z.number().min(0).max(60 * 24 * 90).default(0);
const Template = z.string().min(1).max(4_000);

/** Sends a text to the deal's client on the channel of their latest conversation. */
const SendMessageSchema = z.object({ type: z.literal('send_message'), text: Template, delayMinutes: Delay }).strict();
/**
 * Creates a task for the deal's owner, the owner's team head, a named manager (by email), or the
 * first active user with a role (`{ role: "supervisor" }`), preferring the owner's teams.
 */
const CreateTaskSchema = z
  .object({
    type: z.literal('create_task'),
    title: Template,
    taskType: z.enum(['call', 'meeting', 'email', 'todo']).default('todo'),
    assignee: z.union([z.enum(['owner', 'team_head']), z.object({ email: z.email() }).strict(), z.object({ role: z.string().trim().min(1).max(64) }).strict()]).default('owner'),
    dueInMinutes: z.number().min(0).max(60 * 24 * 365).default(24 * 60),
    delayMinutes: Delay,
  })
  .strict();
/** Posts a notice in the owner's desk (Slack thread or Telegram topic). */
const NotifyDeskSchema = z.object({ type: z.literal('notify_desk'), text: Template, delayMinutes: Delay }).strict();
/** POSTs the deal as JSON to a URL (signed by the integrations step). */
const WebhookSchema = z.object({ type: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }), delayMinutes: Delay }).strict();
/** Sets a deal field: a custom field or the win probability. */
const SetFieldSchema = z
  .object({
    type: z.literal('set_field'),
    field: z.string().regex(/^(probability|customFields\.[a-z0-9_-]{1,64})$/, 'use "probability" or "customFields.<key>"'),
    value: z.union([z.string().max(1_000), z.number(), z.boolean(), z.null()]),
    delayMinutes: Delay,
  })
  .strict();

export const AutomationActionSchema = z.discriminatedUnion('type', [SendMessageSchema, CreateTaskSchema, NotifyDeskSchema, WebhookSchema, SetFieldSchema]);
export type AutomationAction = z.infer<typeof AutomationActionSchema>;

/**
 * What starts an automation: the deal entering the stage, the client writing while the deal is
 * in the stage, or no activity on the deal for `idleDays` while it is in the stage.
 */
export const AutomationTriggerSchema = z.discriminatedUnion('on', [
  z.object({ on: z.literal('enter') }).strict(),
  z.object({ on: z.literal('client_wrote') }).strict(),
  z.object({ on: z.literal('idle'), idleDays: z.number().min(0.001).max(365) }).strict(),
]);
export type AutomationTrigger = z.infer<typeof AutomationTriggerSchema>;

export const StageAutomationSchema = z
  .object({ name: z.string().min(1).max(80), when: AutomationTriggerSchema, actions: z.array(AutomationActionSchema).min(1).max(20) })
  .strict();
export type StageAutomation = z.infer<typeof StageAutomationSchema>;

/** The values templates may use; `{deal.amount}` is formatted with its currency. */
export interface TemplateValues {
  deal: { number: number; title: string; amountMinor: number; currency: string; stage: string };
  contact?: { name?: string };
  owner?: { name?: string };
  paymentDetails?: string;
  locale?: string;
}

/** Formats minor units (cents) as money in the deal's currency, e.g. 129000 USD → "$1,290.00". */
export function formatMoney(amountMinor: number, currency: string, locale = 'en'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/**
 * Fills `{deal.title}`, `{deal.number}`, `{deal.amount}`, `{deal.stage}`, `{contact.name}`,
 * `{owner.name}` and `{payment.details}`. Unknown placeholders stay as written, so a typo shows
 * up in the message instead of silently vanishing.
 */
export function renderTemplate(template: string, v: TemplateValues): string {
  const values: Record<string, string> = {
    'deal.title': v.deal.title,
    'deal.number': `#${v.deal.number}`,
    'deal.amount': formatMoney(v.deal.amountMinor, v.deal.currency, v.locale),
    'deal.stage': v.deal.stage,
    'contact.name': v.contact?.name ?? '',
    'owner.name': v.owner?.name ?? '',
    'payment.details': v.paymentDetails ?? '',
  };
  return template.replace(/\{([a-z]+\.[a-z]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The idempotency key of one action of one automation for one deal and stage. It names no
 * time or attempt: a deal moved into the same stage twice, or a job retried, runs each action once.
 */
export function automationRunKey(dealId: string, stageId: string, automation: number, action: number, trigger: AutomationTrigger, occurrence = ''): string {
  const suffix = trigger.on === 'enter' ? '' : `:${trigger.on}:${occurrence}`;
  return `${dealId}:${stageId}:${automation}:${action}${suffix}`;
}

/** The automations of a stage that a trigger starts, with their positions (used in run keys). */
export function automationsFor(automations: readonly StageAutomation[], on: AutomationTrigger['on']): Array<{ index: number; automation: StageAutomation }> {
  return automations.flatMap((automation, index) => (automation.when.on === on ? [{ index, automation }] : []));
}
