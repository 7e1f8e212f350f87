import type { CrmSettings } from '../../config/crm.schema.js';
import type { TeamSettings } from '../../config/team.schema.js';
import type { Clock } from '../../domain/clock.js';
import type { ReportCatalog } from '../../domain/reports/report-catalog.js';
import type { Store } from '../../store/store.js';

/** What running a report needs, as src/main.ts wires it. */
export interface ReportDeps {
  store: Store;
  clock: Clock;
  crm: CrmSettings;
  team: TeamSettings;
  /** Report types, standard reports, KPI targets and the digest, validated at start-up. */
  catalog: ReportCatalog;
}

/** What a caller may change about one run: the period (relative or absolute) replacing the report's default. */
export interface ReportRunOptions {
  period?: string | undefined;
}
