import type { CrmSettings } from '../../config/crm.schema.js';
import type { ResolvedField, ResolvedReportType } from './report-catalog.js';
import type { RelatedObject, ReportType } from './report-definition.js';
import { describeFieldType, fieldList, fieldSpec, objectFields, type ObjectFields } from './report-fields.js';
import type { ReportFieldSpec } from './report-objects.js';

/** A report type with its whitelist resolved, and what is wrong with it (paths relative to the type). */
export interface ReportTypeResolution {
  type: ResolvedReportType;
  problems: string[];
}

interface Source {
  alias: string | null;
  object: ObjectFields;
}

/** Splits `alias.path` when `alias` names one of `sources` (else the whole key is a primary path). */
function sourceOf(key: string, primary: ObjectFields, related: ReadonlyMap<string, ObjectFields>): { source: Source; path: string } {
  const dot = key.indexOf('.');
  const alias = dot > 0 ? key.slice(0, dot) : '';
  const object = related.get(alias);
  return object ? { source: { alias, object }, path: key.slice(dot + 1) } : { source: { alias: null, object: primary }, path: key };
}

function notAField(key: string, path: string, source: Source, relatedAliases: readonly string[]): string {
  if (source.alias !== null) return `"${key}" is not a field: ${source.object.object} (alias "${source.alias}") has no "${path}" (fields: ${fieldList(source.object)})`;
  const related = relatedAliases.length ? `; related: ${relatedAliases.map((a) => `${a}.<field>`).join(', ')}` : '';
  return `"${key}" is not a field of ${source.object.object} (fields: ${fieldList(source.object)}${related})`;
}

/** What is wrong with a join key (`from` of the joining side, `to` of the related object), or null. */
function joinKeyProblem(role: 'from' | 'to', key: string, spec: ReportFieldSpec, link: RelatedObject): string | null {
  if (spec.derived) return `"${key}" is computed and cannot join objects`;
  const teamKey = link.object === 'teams' && link.to === '_id' && spec.type === 'string';
  if (role === 'from' && spec.type !== 'id' && !teamKey) return `"${key}" is ${describeFieldType(spec.type)} — ${link.as} is joined by an id field`;
  if (role === 'to' && spec.type !== 'id' && spec.type !== 'string') return `"${key}" is ${describeFieldType(spec.type)} — ${link.as} is joined by an id field`;
  if (role === 'from' && link.to === '_id' && spec.references && spec.references !== link.object) return `"${key}" holds ${spec.references} ids, not ${link.object}`;
  return null;
}

function resolveRelated(type: ReportType, crm: Pick<CrmSettings, 'contactFields'>, primary: ObjectFields, problems: string[]): Map<string, ObjectFields> {
  const related = new Map<string, ObjectFields>();
  type.related.forEach((link, i) => {
    const at = `related.${i}`;
    const clashes = [...primary.fields.keys()].some((f) => f === link.as || f.startsWith(`${link.as}.`)) || (primary.openCustomFields && link.as === 'customFields');
    if (related.has(link.as)) problems.push(`${at}.as: the alias "${link.as}" is used twice`);
    else if (clashes) problems.push(`${at}.as: the alias "${link.as}" is also a field of ${type.primary}; choose another`);
    const object = objectFields(link.object, crm);
    const from = sourceOf(link.from, primary, related);
    const fromSpec = fieldSpec(from.source.object, from.path);
    if (!fromSpec) problems.push(`${at}.from: ${notAField(link.from, from.path, from.source, [...related.keys()])}`);
    else {
      const problem = joinKeyProblem('from', link.from, fromSpec, link);
      if (problem) problems.push(`${at}.from: ${problem}`);
    }
    const toSpec = fieldSpec(object, link.to);
    if (!toSpec) problems.push(`${at}.to: "${link.to}" is not a field of ${link.object} (fields: ${fieldList(object)})`);
    else {
      const problem = joinKeyProblem('to', link.to, toSpec, link);
      if (problem) problems.push(`${at}.to: ${problem}`);
    }
    if (!related.has(link.as) && !clashes) related.set(link.as, object);
  });
  return related;
}

/**
 * Resolves a report type's related objects and field whitelist against the object catalog
 * (report-objects.ts) and crm.json's contact fields. Problems name the path inside the type,
 * e.g. `fields.3: "amount" is not a field of deals (fields: …)`.
 */
export function resolveReportType(type: ReportType, crm: Pick<CrmSettings, 'contactFields'>): ReportTypeResolution {
  const problems: string[] = [];
  const primary = objectFields(type.primary, crm);
  const related = resolveRelated(type, crm, primary, problems);
  const fields = new Map<string, ResolvedField>();
  type.fields.forEach((key, i) => {
    if (fields.has(key)) return problems.push(`fields.${i}: "${key}" is listed twice`);
    const { source, path } = sourceOf(key, primary, related);
    const spec = fieldSpec(source.object, path);
    if (!spec) return problems.push(`fields.${i}: ${notAField(key, path, source, [...related.keys()])}`);
    fields.set(key, { key, alias: source.alias, object: source.object.object, path, spec });
  });
  return { type: { id: type.id, label: type.label, primary: type.primary, related: type.related, fields }, problems };
}
