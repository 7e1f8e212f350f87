import type { Permission } from '../../../domain/access/permissions.js';
import type { Actor } from '../../../domain/actor.js';
import { currencyDigits } from '../../../domain/money.js';
import type { CompositeReport } from '../../../domain/reports/report-definition.js';
import { resolvePeriod, type ResolvedPeriod } from '../../../domain/reports/report-period.js';
import type { ReportResult } from '../../../domain/reports/report-result.js';
import { hasPermission, requirePermission } from '../../access/record-access.js';
import type { ReportDeps, ReportRunOptions } from '../report-deps.js';

/** Helpers every composite report shares: its period, the frame of its answer, percentages and money. */

/** The period one run covers: the caller's (`/crm report NAME last month`, `?period=`) or the report's default. */
export function compositePeriod(deps: ReportDeps, report: CompositeReport, options: ReportRunOptions): ResolvedPeriod {
  return resolvePeriod(options.period ?? report.period.default, deps.clock(), deps.catalog.timeZone);
}

/** Everything of a ReportResult but its table: which report, the period, the zone, when. */
export function resultFrame(deps: ReportDeps, report: CompositeReport, period: ResolvedPeriod): Pick<ReportResult, 'report' | 'period' | 'timeZone' | 'generatedAt'> {
  return {
    report: { id: report.id, name: report.name, chart: report.chart },
    period: { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label },
    timeZone: deps.catalog.timeZone,
    generatedAt: deps.clock().toISOString(),
  };
}

/**
 * Lets `actor` run a report mixing several objects when they may read at least one of them;
 * the others then simply count nothing (their access filter matches no record).
 */
export function requireAnyPermission(actor: Actor, permissions: readonly [Permission, ...Permission[]]): void {
  if (!permissions.some((p) => hasPermission(actor, p))) requirePermission(actor, permissions[0]);
}

/** `part` as a percentage (0–100, one decimal) of `whole`; null when there is no whole to compare with. */
export function percentOf(part: number, whole: number | null | undefined): number | null {
  if (whole === null || whole === undefined || whole === 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** Minor units of `currency` in major units (12345 USD → 123.45). */
function toMajorUnits(minor: number, currency: string): number {
  const digits = currencyDigits(currency);
  return digits === 0 ? minor : Math.round(minor) / 10 ** digits;
}

/**
 * The report's money: sums grouped by currency on the server, turned into the report currency's
 * major units here. Amounts in another currency are added as they are (there are no exchange
 * rates), and notes() says so — a mixed figure should never pass silently.
 */
export class ReportMoney {
  private readonly others = new Set<string>();

  constructor(readonly currency: string) {}

  /** `minor` units of `currency` in major units; remembers a currency other than the report's. */
  major(minor: number, currency: string | null | undefined): number {
    const code = currency ?? this.currency;
    if (code !== this.currency) this.others.add(code);
    return toMajorUnits(minor, code);
  }

  /** A sum in the report's major units rounded to the currency's digits (no 0.30000000000000004). */
  round(value: number): number {
    return Number(value.toFixed(currencyDigits(this.currency)));
  }

  /** The note for the reader when amounts in other currencies were mixed in. */
  notes(): string[] {
    if (this.others.size === 0) return [];
    const codes = [...this.others].sort().join(', ');
    return [`Amounts in ${codes} were added to ${this.currency} amounts as they are, without conversion.`];
  }
}

/** The currency money figures are shown in when the report has no pipeline of its own: the first pipeline's. */
export function defaultCurrency(deps: ReportDeps): string {
  return deps.crm.pipelines[0]?.currency ?? 'USD';
}

/** `{ $gte: from, $lt: to }`: the instants of the period. */
export function withinPeriod(period: ResolvedPeriod): { $gte: Date; $lt: Date } {
  return { $gte: period.from, $lt: period.to };
}
