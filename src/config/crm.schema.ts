import { z } from 'zod';
import { StageAutomationSchema } from '../domain/stage-automation.js';
import { reportDuplicateIds } from './unique-ids.js';

const KeySchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use 1-64 lowercase letters, digits, "-" or "_"');

/** A custom field on contacts, declared by the team (stored under `customFields.<key>`). */
export const CustomFieldSchema = z
  .object({
    key: KeySchema,
    label: z.string().min(1).max(80),
    type: z.enum(['text', 'number', 'date', 'boolean', 'select']),
    options: z.array(z.string().min(1).max(80)).min(1).optional(),
  })
  .refine((f) => (f.type === 'select') === Boolean(f.options), { message: 'give options for a select field, and only for one', path: ['options'] });
export type CustomField = z.infer<typeof CustomFieldSchema>;

export const StageSchema = z.object({
  id: KeySchema,
  name: z.string().min(1).max(80),
  /** Win probability in percent, for weighted forecasts. */
  probability: z.number().min(0).max(100),
  /** `won` and `lost` stages close the deal. */
  outcome: z.enum(['open', 'won', 'lost']).default('open'),
  /** What happens to a deal in this stage: on entering, when the client writes, when it goes quiet. */
  automations: z.array(StageAutomationSchema).default([]),
});
export type Stage = z.infer<typeof StageSchema>;

export const PipelineSchema = z
  .object({
    id: KeySchema,
    name: z.string().min(1).max(80),
    currency: z.string().regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as "USD"'),
    stages: z.array(StageSchema).min(2),
  })
  .superRefine((p, ctx) => {
    reportDuplicateIds(ctx, p.stages, 'stages', 'stage');
    if (!p.stages.some((s) => s.outcome === 'won')) ctx.addIssue({ code: 'custom', path: ['stages'], message: 'needs a stage with outcome "won"' });
    if (!p.stages.some((s) => s.outcome === 'lost')) ctx.addIssue({ code: 'custom', path: ['stages'], message: 'needs a stage with outcome "lost"' });
  });
export type Pipeline = z.infer<typeof PipelineSchema>;

/** config/crm.json: contact custom fields, company roles, sales pipelines and their stages. */
export const CrmSettingsSchema = z
  .object({
    contactFields: z.array(CustomFieldSchema).default([]),
    companyRoles: z.array(KeySchema).min(1).default(['director', 'accountant', 'lawyer', 'buyer']),
    pipelines: z.array(PipelineSchema).min(1),
    /** Bank or payment instructions, filled into `{payment.details}` in automation messages. */
    paymentDetails: z.string().trim().min(1).max(2_000).optional(),
    /** How often the idle-deal automation sweep runs (ms). */
    automationSweepIntervalMs: z.number().int().min(50).max(3_600_000).default(60_000),
  })
  .superRefine((s, ctx) => reportDuplicateIds(ctx, s.pipelines, 'pipelines', 'pipeline'));
export type CrmSettings = z.infer<typeof CrmSettingsSchema>;
