import type { CrmSettings } from '../../src/config/crm.schema.js';
import { formatMinorUnits } from '../../src/domain/money.js';
import type { ContactDoc } from '../../src/store/contact.model.js';
import type { DealDoc } from '../../src/store/deal.model.js';
import type { TaskDoc } from '../../src/store/task.model.js';

/**
 * A stored or typed value made safe to put into a reply: Slack reads `<…>` as links and
 * mentions (a contact named `<!channel>` would ping the channel) and `&` starts an entity.
 */
export function escapeDeskText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Lines shown at most in one list reply; a longer list says there is more. */
export const LIST_LIMIT = 20;

/** 120000 USD minor units → "$1,200.00"; 50000 KRW → "₩50,000". */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(formatMinorUnits(minor, currency)));
}

/** A date on the manager's wall clock: "Sat 28 Nov 10:00". */
export function formatWhen(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at).replace(',', '');
}

/** The stage's name from config (the id when it has since been removed). */
export function stageName(crm: CrmSettings, deal: Pick<DealDoc, 'pipelineId' | 'stageId'>): string {
  const pipeline = crm.pipelines.find((p) => p.id === deal.pipelineId);
  return pipeline?.stages.find((s) => s.id === deal.stageId)?.name ?? deal.stageId;
}

/** "#42 Kim Corp — $1,200.00 — Proposal sent — owner Ann". */
export function dealLine(crm: CrmSettings, deal: DealDoc, ownerName: string): string {
  return `#${deal.number} ${escapeDeskText(deal.title)} — ${formatMoney(deal.amountMinor, deal.currency)} — ${escapeDeskText(stageName(crm, deal))} — owner ${escapeDeskText(ownerName)}`;
}

/** "#3 call Kim — due Sat 28 Nov 10:00 (overdue)". */
export function taskLine(task: TaskDoc, number: number, timeZone: string, now: Date): string {
  const due = task.dueAt ? ` — due ${formatWhen(task.dueAt, timeZone)}${task.dueAt < now && !task.done ? ' (overdue)' : ''}` : '';
  return `#${number} ${escapeDeskText(task.title)}${due}${task.done ? ' — done' : ''}`;
}

/** "Kim Minjun · kim@example.com · +821012345678 · `id`". */
export function contactLine(contact: ContactDoc): string {
  const values = [contact.name ?? '(no name)', contact.emails[0], contact.phones[0]].filter((v): v is string => Boolean(v)).map(escapeDeskText);
  return [...values, `\`${String(contact._id)}\``].join(' · ');
}

/** Lines under a title; an empty list says so, a cut one says there is more. */
export function listReply(title: string, lines: string[], empty: string, more = false): string {
  if (!lines.length) return empty;
  const tail = more ? `\n… and more (showing the first ${lines.length})` : '';
  return `*${title}*\n${lines.join('\n')}${tail}`;
}
