import type { Actor } from '../../../domain/actor.js';
import type { CompositeReport } from '../../../domain/reports/report-definition.js';
import type { ResolvedPeriod } from '../../../domain/reports/report-period.js';
import type { ReportResult, ReportRow } from '../../../domain/reports/report-result.js';
import { withAccess } from '../../access/record-access.js';
import type { ReportDeps, ReportRunOptions } from '../report-deps.js';
import { compositePeriod, defaultCurrency, percentOf, ReportMoney, requireAnyPermission, resultFrame, withinPeriod } from './composite-frame.js';

/**
 * Lead sources through to revenue: per channel, campaign, UTM source or landing page, the leads
 * (contacts created in the period), the deals created in the period and how many of those were
 * won, for how much. Deals are counted by their own source — copied from the contact when the
 * deal was created — so a source may have deals without leads in the period.
 */

type SourceBy = NonNullable<CompositeReport['by']>;

/** The field of a contact's or deal's source each grouping reads. */
const SOURCE_FIELD: Record<SourceBy, string> = {
  channel: '$source.channel',
  campaign: '$source.utm.campaign',
  'utm-source': '$source.utm.source',
  'landing-page': '$source.url',
};

const BY_LABEL: Record<SourceBy, string> = { channel: 'Channel', campaign: 'Campaign', 'utm-source': 'UTM source', 'landing-page': 'Landing page' };

const UNKNOWN = '(unknown)';

/** The grouping key of a stored value: a landing page without its query string or fragment; empty → null. */
function sourceKey(by: SourceBy, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const key = by === 'landing-page' ? value.replace(/[?#].*$/s, '') : value;
  return key.trim() === '' ? null : key;
}

interface SourceLine {
  key: string | null;
  leads: number;
  deals: number;
  won: number;
  wonRevenue: number;
}

async function leadsBySource(deps: ReportDeps, actor: Actor, period: ResolvedPeriod, field: string): Promise<Array<{ _id: unknown; leads: number }>> {
  // Merged contacts stay as tombstones pointing at the survivor; they are not leads of their own.
  const match = withAccess(actor, 'contacts.read', { createdAt: withinPeriod(period), mergedInto: { $exists: false } });
  return deps.store.contacts.aggregate<{ _id: unknown; leads: number }>([{ $match: match }, { $group: { _id: field, leads: { $sum: 1 } } }]);
}

interface DealSourceGroup {
  _id: { key: unknown; currency: string | null };
  deals: number;
  won: number;
  wonMinor: number;
}

async function dealsBySource(deps: ReportDeps, actor: Actor, period: ResolvedPeriod, field: string): Promise<DealSourceGroup[]> {
  const match = withAccess(actor, 'deals.read', { createdAt: withinPeriod(period) });
  const won = { $eq: ['$status', 'won'] };
  return deps.store.deals.aggregate<DealSourceGroup>([
    { $match: match },
    { $group: { _id: { key: field, currency: '$currency' }, deals: { $sum: 1 }, won: { $sum: { $cond: [won, 1, 0] } }, wonMinor: { $sum: { $cond: [won, '$amountMinor', 0] } } } },
  ]);
}

function values(line: Omit<SourceLine, 'key'>, money: ReportMoney): Record<string, number | null> {
  return {
    leads: line.leads,
    deals: line.deals,
    leadToDeal: percentOf(line.deals, line.leads),
    won: line.won,
    wonRevenue: money.round(line.wonRevenue),
    dealToWon: percentOf(line.won, line.deals),
  };
}

/**
 * Runs a lead-sources report grouped by `report.by` over the contacts and deals `actor` may
 * read. Rows sorted by leads, then deals, largest first; a missing source reads "(unknown)".
 * Lead→deal can pass 100 % when deals of earlier leads were created in the period.
 */
export async function runLeadSourcesReport(deps: ReportDeps, actor: Actor, report: CompositeReport, options: ReportRunOptions): Promise<ReportResult> {
  requireAnyPermission(actor, ['contacts.read', 'deals.read']);
  const by: SourceBy = report.by ?? 'channel';
  const period = compositePeriod(deps, report, options);
  const field = SOURCE_FIELD[by];
  const [leads, deals] = await Promise.all([leadsBySource(deps, actor, period, field), dealsBySource(deps, actor, period, field)]);

  const money = new ReportMoney(defaultCurrency(deps));
  const lines = new Map<string | null, SourceLine>();
  const lineOf = (key: string | null): SourceLine => lines.get(key) ?? lines.set(key, { key, leads: 0, deals: 0, won: 0, wonRevenue: 0 }).get(key)!;
  for (const g of leads) lineOf(sourceKey(by, g._id)).leads += g.leads;
  for (const g of deals) {
    const line = lineOf(sourceKey(by, g._id.key));
    line.deals += g.deals;
    line.won += g.won;
    line.wonRevenue += money.major(g.wonMinor, g._id.currency);
  }

  const sorted = [...lines.values()].sort((a, b) => b.leads - a.leads || b.deals - a.deals || (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'));
  const rows: ReportRow[] = sorted.map((line) => ({ groups: { source: { key: line.key, label: line.key ?? UNKNOWN } }, values: values(line, money) }));
  const total = sorted.reduce((t, l) => ({ leads: t.leads + l.leads, deals: t.deals + l.deals, won: t.won + l.won, wonRevenue: t.wonRevenue + l.wonRevenue }), { leads: 0, deals: 0, won: 0, wonRevenue: 0 });
  return {
    ...resultFrame(deps, report, period),
    columns: [
      { key: 'source', label: BY_LABEL[by], role: 'group', format: 'text' },
      { key: 'leads', label: 'Leads', role: 'measure', format: 'number' },
      { key: 'deals', label: 'Deals', role: 'measure', format: 'number' },
      { key: 'leadToDeal', label: 'Lead → deal (%)', role: 'formula', format: 'percent' },
      { key: 'won', label: 'Won deals', role: 'measure', format: 'number' },
      { key: 'wonRevenue', label: 'Won revenue', role: 'measure', format: 'money', currency: money.currency },
      { key: 'dealToWon', label: 'Deal → won (%)', role: 'formula', format: 'percent' },
    ],
    rows,
    totals: values(total, money),
    notes: ['Leads are contacts created in the period; deals are deals created in the period, by the source copied onto the deal.', ...money.notes()],
  };
}
