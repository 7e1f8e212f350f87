import type { CrmSettings } from '../../../config/crm.schema.js';
import type { DateBucket } from '../../../domain/reports/report-definition.js';
import { REPORT_OBJECT_SPECS, type ReportObjectName } from '../../../domain/reports/report-objects.js';
import { bucketLabelOfKey } from '../../../domain/reports/report-period.js';
import { recordIdOf } from '../../../store/ids.js';
import { isObjectId, type Store } from '../../../store/store.js';
import type { PlannedGrouping } from './engine-plan.js';
import { modelOf } from './server-group.js';
import { ownershipPaths, visibleInMemory } from './report-visibility.js';
import type { Actor } from '../../../domain/actor.js';

/**
 * What people read for a group: a manager's name instead of an id, a stage's name, "Nov 2026",
 * "#42", "yes"/"no", "(none)". Names are looked up with one `_id $in` query per object.
 */

/** The label of a group without a value. */
const NO_GROUP = '(none)';

/** How a record of `object` is named in a group label. */
function recordLabel(object: ReportObjectName, doc: Record<string, unknown>): string | null {
  if (object === 'conversations') return doc.number === undefined ? null : `#${String(doc.number)}`;
  if (object === 'deals') return doc.number === undefined ? null : `#${String(doc.number)}${typeof doc.title === 'string' ? ` ${doc.title}` : ''}`;
  if (object === 'messages' || object === 'tasks') return typeof doc.title === 'string' ? doc.title : null;
  return typeof doc.name === 'string' && doc.name ? doc.name : null;
}

/** What a record the caller may not read is called in a group label (never its name). */
const HIDDEN_RECORD = '(not visible to you)';

/** The names of the records of `object` with these ids: only of those `actor` may read. */
async function recordNames(store: Store, actor: Actor, object: ReportObjectName, keys: readonly string[]): Promise<Map<string, string>> {
  const spec = REPORT_OBJECT_SPECS[object];
  const visible = visibleInMemory(actor, spec) ?? (() => false);
  const ids = object === 'teams' ? [...keys] : keys.filter(isObjectId).map(recordIdOf);
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    // A plain `_id $in` find: the embedded server answers it from its index (an aggregation scans).
    const docs = await modelOf(store, spec).find({ _id: { $in: ids.slice(i, i + 1000) } }, { name: 1, number: 1, title: 1, ...Object.fromEntries(ownershipPaths(spec).map((p) => [p, 1])) }).lean();
    for (const doc of docs) {
      if (!visible(doc)) {
        names.set(String(doc._id), HIDDEN_RECORD);
        continue;
      }
      const label = recordLabel(object, doc);
      if (label !== null) names.set(String(doc._id), label);
    }
  }
  return names;
}

/** The labels of grouping `g`'s values. */
export async function groupLabels(store: Store, actor: Actor, crm: Pick<CrmSettings, 'pipelines'>, g: PlannedGrouping, keys: readonly (string | null)[]): Promise<Map<string | null, string>> {
  const labels = new Map<string | null, string>([[null, NO_GROUP]]);
  const values = keys.filter((k): k is string => k !== null);
  const { spec, object, path } = g.field;
  let named = new Map<string, string>();
  if (g.bucket) named = new Map(values.map((k) => [k, bucketLabelOfKey(k, g.bucket as DateBucket)]));
  else if (spec.type === 'id' && spec.references) named = await recordNames(store, actor, spec.references, values);
  else if (spec.type === 'boolean') named = new Map([['true', 'yes'], ['false', 'no']]);
  else if (object === 'deals' && path === 'stageId') named = new Map(crm.pipelines.flatMap((p) => p.stages.map((s) => [s.id, s.name] as [string, string])));
  else if (object === 'deals' && path === 'pipelineId') named = new Map(crm.pipelines.map((p) => [p.id, p.name] as [string, string]));
  for (const key of values) labels.set(key, named.get(key) ?? key);
  return labels;
}
