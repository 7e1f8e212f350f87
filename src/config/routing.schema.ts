import { z } from 'zod';
import { RoutingRuleSchema } from '../domain/routing-rules.js';

/**
 * config/routing.json: rules evaluated in order for each conversation handed to routing, the team
 * that takes what no rule claims, and the first-response SLA.
 */
export const RoutingSettingsSchema = z.object({
  defaultTeam: z.string().min(1),
  rules: z.array(RoutingRuleSchema).default([]),
  sla: z
    .object({
      /** Minutes from assignment to the first manager reply before the assignee is reminded. */
      firstResponseMinutes: z.number().min(0.01).max(7 * 24 * 60).default(15),
      /** Minutes after the reminder before `onBreach` happens. */
      escalateAfterMinutes: z.number().min(0.01).max(7 * 24 * 60).default(15),
      onBreach: z.enum(['reassign', 'escalate_to_head']).default('reassign'),
    })
    .default({ firstResponseMinutes: 15, escalateAfterMinutes: 15, onBreach: 'reassign' }),
  /** How often the sweep job looks for SLA breaches, bot timeouts and queued conversations. */
  sweepIntervalMs: z.number().int().min(100).max(600_000).default(30_000),
});
export type RoutingSettings = z.infer<typeof RoutingSettingsSchema>;
