/**
 * What reports may read: each object a report type can name (as its primary object or a related
 * one), the collection behind it, the permission that decides which of its records a caller
 * sees, and its fields. A report type's field whitelist (config/report-types.json) must name
 * fields from here; derived fields are computed by the database from stored ones.
 */

/** How a field's values are compared, grouped, measured and shown. */
export type ReportFieldType = 'string' | 'number' | 'money' | 'date' | 'boolean' | 'id';

/** The objects a report type may name. */
export const REPORT_OBJECTS = ['deals', 'contacts', 'companies', 'conversations', 'messages', 'tasks', 'users', 'teams'] as const;
export type ReportObjectName = (typeof REPORT_OBJECTS)[number];

/** An aggregation expression for a derived field, built with the run's "now". */
export type DerivedExpression = (now: Date) => Record<string, unknown>;

/** One field of an object. `path` is the stored path; absent for derived fields. */
export interface ReportFieldSpec {
  type: ReportFieldType;
  label: string;
  /** For `id` fields: the object the id names (its name labels groups). */
  references?: ReportObjectName;
  /** Computed on the database from stored fields (durations, 0/1 flags). */
  derived?: DerivedExpression;
  /** For durations: the unit of the number (shown in column headers). */
  unit?: 'minutes' | 'hours' | 'days';
}

/** One object: where it lives and who may read which of its records. */
export interface ReportObjectSpec {
  label: string;
  /** The Store property holding its model. */
  store: 'deals' | 'contacts' | 'companies' | 'conversations' | 'messages' | 'tasks' | 'users' | 'teams';
  /**
   * How record visibility applies: `deals.read` etc. through record-access's filter;
   * `via-conversation` — a message is visible when its conversation is; `users.read` — the team list.
   */
  access: 'deals' | 'contacts' | 'companies' | 'conversations' | 'tasks' | 'via-conversation' | 'users';
  /** The field naming the record's person (shown as "manager" in standard reports). */
  personField?: string;
  fields: Readonly<Record<string, ReportFieldSpec>>;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** `(end − start)` in `unitMs`, null when either is missing. */
const span = (end: unknown, start: string, unitMs: number) => ({ $divide: [{ $subtract: [end, start] }, unitMs] });
/** 1 when `condition` holds, else 0: a flag that `sum` counts and `avg` turns into a share. */
const flag = (condition: Record<string, unknown>) => ({ $cond: [condition, 1, 0] });

const source = (prefix = 'source'): Record<string, ReportFieldSpec> => ({
  [`${prefix}.channel`]: { type: 'string', label: 'Source channel' },
  [`${prefix}.inboxId`]: { type: 'string', label: 'Source inbox' },
  [`${prefix}.url`]: { type: 'string', label: 'Landing page' },
  [`${prefix}.referrer`]: { type: 'string', label: 'Referrer' },
  [`${prefix}.utm.source`]: { type: 'string', label: 'UTM source' },
  [`${prefix}.utm.medium`]: { type: 'string', label: 'UTM medium' },
  [`${prefix}.utm.campaign`]: { type: 'string', label: 'UTM campaign' },
  [`${prefix}.utm.term`]: { type: 'string', label: 'UTM term' },
  [`${prefix}.utm.content`]: { type: 'string', label: 'UTM content' },
});

const timestamps: Record<string, ReportFieldSpec> = {
  _id: { type: 'id', label: 'Record id' },
  createdAt: { type: 'date', label: 'Created' },
  updatedAt: { type: 'date', label: 'Last changed' },
};

/** Every object reports may read. Custom fields (`customFields.<key>`) are added from config/crm.json. */
export const REPORT_OBJECT_SPECS: Readonly<Record<ReportObjectName, ReportObjectSpec>> = {
  deals: {
    label: 'Deals',
    store: 'deals',
    access: 'deals',
    personField: 'ownerId',
    fields: {
      ...timestamps,
      number: { type: 'number', label: 'Deal number' },
      title: { type: 'string', label: 'Title' },
      pipelineId: { type: 'string', label: 'Pipeline' },
      stageId: { type: 'string', label: 'Stage' },
      status: { type: 'string', label: 'Status' },
      amountMinor: { type: 'money', label: 'Amount' },
      currency: { type: 'string', label: 'Currency' },
      contactId: { type: 'id', label: 'Contact', references: 'contacts' },
      companyId: { type: 'id', label: 'Company', references: 'companies' },
      ownerId: { type: 'id', label: 'Manager', references: 'users' },
      ...source(),
      expectedCloseAt: { type: 'date', label: 'Expected close' },
      closedAt: { type: 'date', label: 'Closed' },
      lostReason: { type: 'string', label: 'Loss reason' },
      probability: { type: 'number', label: 'Probability (%)' },
      ageDays: { type: 'number', label: 'Age (days)', unit: 'days', derived: (now) => span({ $ifNull: ['$closedAt', now] }, '$createdAt', DAY_MS) },
      won: { type: 'number', label: 'Won (1/0)', derived: () => flag({ $eq: ['$status', 'won'] }) },
      lost: { type: 'number', label: 'Lost (1/0)', derived: () => flag({ $eq: ['$status', 'lost'] }) },
      wonAmountMinor: { type: 'money', label: 'Won amount', derived: () => ({ $cond: [{ $eq: ['$status', 'won'] }, '$amountMinor', 0] }) },
    },
  },
  contacts: {
    label: 'Contacts',
    store: 'contacts',
    access: 'contacts',
    personField: 'ownerId',
    fields: {
      ...timestamps,
      name: { type: 'string', label: 'Name' },
      lifecycle: { type: 'string', label: 'Lifecycle' },
      leadAt: { type: 'date', label: 'Became a lead' },
      locale: { type: 'string', label: 'Locale' },
      ownerId: { type: 'id', label: 'Owner', references: 'users' },
      ...source(),
      lastContactedAt: { type: 'date', label: 'Last contacted' },
    },
  },
  companies: {
    label: 'Companies',
    store: 'companies',
    access: 'companies',
    personField: 'ownerId',
    fields: {
      ...timestamps,
      name: { type: 'string', label: 'Name' },
      domain: { type: 'string', label: 'Domain' },
      ownerId: { type: 'id', label: 'Owner', references: 'users' },
    },
  },
  conversations: {
    label: 'Conversations',
    store: 'conversations',
    access: 'conversations',
    personField: 'assigneeId',
    fields: {
      ...timestamps,
      number: { type: 'number', label: 'Conversation number' },
      contactId: { type: 'id', label: 'Contact', references: 'contacts' },
      inboxId: { type: 'string', label: 'Inbox' },
      channel: { type: 'string', label: 'Channel' },
      status: { type: 'string', label: 'Status' },
      assigneeId: { type: 'id', label: 'Manager', references: 'users' },
      teamId: { type: 'id', label: 'Team', references: 'teams' },
      routingState: { type: 'string', label: 'Routing state' },
      priority: { type: 'string', label: 'Priority' },
      language: { type: 'string', label: 'Language' },
      openedAt: { type: 'date', label: 'Opened' },
      assignedAt: { type: 'date', label: 'Assigned' },
      firstResponseAt: { type: 'date', label: 'First response' },
      resolvedAt: { type: 'date', label: 'Resolved' },
      'sla.firstResponseDueAt': { type: 'date', label: 'First response due' },
      firstResponseMinutes: { type: 'number', label: 'First response time (min)', unit: 'minutes', derived: () => span('$firstResponseAt', '$openedAt', MINUTE_MS) },
      resolutionMinutes: { type: 'number', label: 'Resolution time (min)', unit: 'minutes', derived: () => span('$resolvedAt', '$openedAt', MINUTE_MS) },
      botOnly: {
        type: 'number',
        label: 'Resolved by the bot alone (1/0)',
        derived: () => flag({ $and: [{ $eq: ['$status', 'resolved'] }, { $eq: ['$routingState', 'bot'] }, { $eq: [{ $ifNull: ['$firstResponseAt', null] }, null] }] }),
      },
      slaBreached: {
        type: 'number',
        label: 'First-response SLA breached (1/0)',
        // Answered after the due time, or still unanswered past it.
        derived: (now) =>
          flag({
            $and: [
              { $ne: [{ $ifNull: ['$sla.firstResponseDueAt', null] }, null] },
              { $gt: [{ $ifNull: ['$firstResponseAt', now] }, '$sla.firstResponseDueAt'] },
            ],
          }),
      },
    },
  },
  messages: {
    label: 'Messages',
    store: 'messages',
    access: 'via-conversation',
    personField: 'authorId',
    fields: {
      ...timestamps,
      conversationId: { type: 'id', label: 'Conversation', references: 'conversations' },
      contactId: { type: 'id', label: 'Contact', references: 'contacts' },
      inboxId: { type: 'string', label: 'Inbox' },
      channel: { type: 'string', label: 'Channel' },
      direction: { type: 'string', label: 'Direction' },
      authorKind: { type: 'string', label: 'Author kind' },
      authorId: { type: 'id', label: 'Author', references: 'users' },
      private: { type: 'boolean', label: 'Private note' },
      automated: { type: 'boolean', label: 'Automated' },
      'delivery.status': { type: 'string', label: 'Delivery status' },
    },
  },
  tasks: {
    label: 'Tasks',
    store: 'tasks',
    access: 'tasks',
    personField: 'assigneeId',
    fields: {
      ...timestamps,
      type: { type: 'string', label: 'Type' },
      title: { type: 'string', label: 'Title' },
      assigneeId: { type: 'id', label: 'Manager', references: 'users' },
      dueAt: { type: 'date', label: 'Due' },
      done: { type: 'boolean', label: 'Done' },
      doneAt: { type: 'date', label: 'Done at' },
      'related.contactId': { type: 'id', label: 'Contact', references: 'contacts' },
      'related.dealId': { type: 'id', label: 'Deal', references: 'deals' },
      'related.conversationId': { type: 'id', label: 'Conversation', references: 'conversations' },
      isDone: { type: 'number', label: 'Done (1/0)', derived: () => flag({ $eq: ['$done', true] }) },
      overdue: {
        type: 'number',
        label: 'Overdue (1/0)',
        derived: (now) => flag({ $and: [{ $ne: ['$done', true] }, { $ne: [{ $ifNull: ['$dueAt', null] }, null] }, { $lt: ['$dueAt', now] }] }),
      },
    },
  },
  users: {
    label: 'Users',
    store: 'users',
    access: 'users',
    fields: {
      ...timestamps,
      name: { type: 'string', label: 'Name' },
      email: { type: 'string', label: 'Email' },
      role: { type: 'string', label: 'Role' },
      active: { type: 'boolean', label: 'Active' },
    },
  },
  teams: {
    label: 'Teams',
    store: 'teams',
    access: 'users',
    fields: {
      _id: { type: 'string', label: 'Team id' },
      name: { type: 'string', label: 'Team' },
      headUserId: { type: 'id', label: 'Head', references: 'users' },
    },
  },
};

/** The object names that carry `customFields.<key>` (typed by config/crm.json contactFields for contacts). */
export const OBJECTS_WITH_CUSTOM_FIELDS: readonly ReportObjectName[] = ['deals', 'contacts', 'companies'];
