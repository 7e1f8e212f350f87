import { z } from 'zod';
import { TASK_TYPES } from '../../store/task.model.js';
import { objectIdString } from '../../domain/validation.js';

const objectId = objectIdString;

/** Longest natural-language due phrase accepted ("next friday 5pm", "다음주 월요일 오후 3시"). */
const DUE_TEXT_MAX = 100;

export const TaskRelatedSchema = z.strictObject({
  contactId: objectId('contact').optional(),
  dealId: objectId('deal').optional(),
  conversationId: objectId('conversation').optional(),
});

export const TaskReminderSchema = z.strictObject({
  /** Minutes before dueAt; up to a week. */
  leadMinutes: z.number().int().min(0).max(10_080),
});

const fields = {
  type: z.enum(TASK_TYPES),
  title: z.string().trim().min(1, 'must not be blank').max(200),
  notes: z.string().max(5_000),
  /** An exact instant with an offset: 2026-12-24T14:30:00+09:00 or …Z. */
  dueAt: z.iso.datetime({ offset: true, error: 'use an ISO date-time with offset, e.g. 2026-12-24T14:30:00+09:00' }),
  /** Natural language, read in the assignee's time zone: "tomorrow 10:00", "내일 오후 3시". */
  due: z.string().trim().min(1).max(DUE_TEXT_MAX),
  durationMinutes: z.number().int().min(1).max(1_440),
  assigneeId: objectId('user'),
  related: TaskRelatedSchema,
  reminder: TaskReminderSchema,
  language: z.enum(['en', 'ko']),
};

const onlyOneDue = (t: { dueAt?: unknown; due?: unknown }) => t.dueAt === undefined || t.due === undefined;
const dueIssue = { path: ['due'], message: 'give either dueAt or due, not both' };

export const CreateTaskSchema = z
  .strictObject({
    type: fields.type.default('todo'),
    title: fields.title,
    notes: fields.notes.optional(),
    dueAt: fields.dueAt.optional(),
    due: fields.due.optional(),
    durationMinutes: fields.durationMinutes.optional(),
    /** Defaults to the caller. */
    assigneeId: fields.assigneeId.optional(),
    related: fields.related.default({}),
    reminder: fields.reminder.optional(),
    /** The acting user; only a caller without a user (admin token, automations) may name one. */
    createdBy: objectId('user').optional(),
    language: fields.language.optional(),
  })
  .refine(onlyOneDue, dueIssue);
export type CreateTaskInput = z.input<typeof CreateTaskSchema>;

/** A partial change; `null` clears an optional field. */
export const UpdateTaskSchema = z
  .strictObject({
    type: fields.type.optional(),
    title: fields.title.optional(),
    notes: fields.notes.nullable().optional(),
    dueAt: fields.dueAt.nullable().optional(),
    due: fields.due.optional(),
    durationMinutes: fields.durationMinutes.nullable().optional(),
    assigneeId: fields.assigneeId.optional(),
    related: fields.related.optional(),
    reminder: fields.reminder.nullable().optional(),
    language: fields.language.optional(),
  })
  .refine(onlyOneDue, dueIssue)
  .refine((t) => Object.keys(t).some((k) => k !== 'language'), { message: 'change at least one field' });
export type UpdateTaskInput = z.input<typeof UpdateTaskSchema>;

const boolString = z.enum(['true', 'false']).transform((v) => v === 'true');

export const TASK_SORTS = ['dueAt', '-dueAt', 'createdAt', '-createdAt'] as const;

export const ListTasksSchema = z.strictObject({
  assigneeId: objectId('user').optional(),
  done: boolString.optional(),
  type: fields.type.optional(),
  dueBefore: fields.dueAt.optional(),
  dueAfter: fields.dueAt.optional(),
  contactId: objectId('contact').optional(),
  dealId: objectId('deal').optional(),
  conversationId: objectId('conversation').optional(),
  sort: z.enum(TASK_SORTS).default('dueAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type ListTasksQuery = z.input<typeof ListTasksSchema>;
