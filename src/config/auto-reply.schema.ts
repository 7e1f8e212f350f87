import { z } from 'zod';
import { FaqEntrySchema } from '../domain/faq.js';
import { QualificationFlowSchema } from '../domain/qualification.js';
import { LocalizedTextSchema } from '../domain/localized-text.js';

/**
 * config/auto-reply.json: what the customer-facing bot says. Texts are per language; `{nextOpening}`
 * in the out-of-hours text becomes the next time a manager is in, in the customer's language.
 */
export const AutoReplySettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    botName: z.string().min(1).max(80).default('Assistant'),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).min(1),
    defaultLanguage: z.string().regex(/^[a-z]{2,3}$/),
    /** Key in team.json `businessHours` used before a conversation has a team. */
    businessHours: z.string().min(1),
    greeting: LocalizedTextSchema,
    outOfHours: LocalizedTextSchema,
    faq: z.array(FaqEntrySchema).default([]),
    qualification: QualificationFlowSchema,
    handoff: z.object({ keywords: z.array(z.string().min(1)).min(1), reply: LocalizedTextSchema }),
    /** Said when the bot has nothing to answer; the conversation then goes to a manager. */
    cannotAnswer: LocalizedTextSchema,
    /** Said when routing finds nobody available right now. */
    nobodyAvailable: LocalizedTextSchema,
    /** A conversation still with the bot after this long goes to a manager anyway. */
    handoffAfterMinutes: z.number().min(0.01).max(24 * 60).default(10),
  })
  .superRefine((s, ctx) => {
    if (!s.languages.includes(s.defaultLanguage)) ctx.addIssue({ code: 'custom', path: ['defaultLanguage'], message: `must be one of languages (${s.languages.join(', ')})` });
  });
export type AutoReplySettings = z.infer<typeof AutoReplySettingsSchema>;
