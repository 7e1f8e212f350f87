import type { CrmSettings } from '../../config/crm.schema.js';
import { OBJECTS_WITH_CUSTOM_FIELDS, REPORT_OBJECT_SPECS, type ReportFieldSpec, type ReportFieldType, type ReportObjectName } from './report-objects.js';

/** The object's fields a report type may name: its own, plus `customFields.<key>` where custom fields exist. */
export interface ObjectFields {
  object: ReportObjectName;
  /** Declared fields, including contacts' custom fields from config/crm.json. */
  fields: ReadonlyMap<string, ReportFieldSpec>;
  /** Deals and companies take any `customFields.<key>` (undeclared, read as text). */
  openCustomFields: boolean;
}

const CUSTOM_FIELD_TYPES: Readonly<Record<CrmSettings['contactFields'][number]['type'], ReportFieldType>> = {
  text: 'string',
  select: 'string',
  number: 'number',
  date: 'date',
  boolean: 'boolean',
};

/** The fields of `object`, with contacts' custom fields typed from crm.json `contactFields`. */
export function objectFields(object: ReportObjectName, crm: Pick<CrmSettings, 'contactFields'>): ObjectFields {
  const fields = new Map(Object.entries(REPORT_OBJECT_SPECS[object].fields));
  if (object === 'contacts') {
    for (const field of crm.contactFields) fields.set(`customFields.${field.key}`, { type: CUSTOM_FIELD_TYPES[field.type], label: field.label });
  }
  return { object, fields, openCustomFields: object !== 'contacts' && OBJECTS_WITH_CUSTOM_FIELDS.includes(object) };
}

const CUSTOM_KEY = /^customFields\.([a-z0-9][a-z0-9_-]{0,63})$/;

/** The spec of `path` on the object, or undefined when the object has no such field. */
export function fieldSpec(fields: ObjectFields, path: string): ReportFieldSpec | undefined {
  const known = fields.fields.get(path);
  if (known) return known;
  const custom = fields.openCustomFields ? CUSTOM_KEY.exec(path) : null;
  return custom ? { type: 'string', label: custom[1] ?? path } : undefined;
}

/** "is text", "is a date" …: how a problem message names a field's type. */
export function describeFieldType(type: ReportFieldType): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'money':
      return 'money';
    case 'date':
      return 'a date';
    case 'boolean':
      return 'yes/no';
    case 'id':
      return 'an id';
  }
}

/** The field names of an object, for "(fields: …)" in problem messages. */
export function fieldList(fields: ObjectFields): string {
  return [...fields.fields.keys(), ...(fields.openCustomFields ? ['customFields.<key>'] : [])].join(', ');
}
