import { z } from 'zod';
import { BusinessHoursSchema } from '../domain/business-hours.js';
import { BUILT_IN_ROLE_IDS, OWNED_RESOURCES, PERMISSIONS, ROLE_ALIASES, SCOPES, scopeCovers } from '../domain/access/permissions.js';

const KeySchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use 1-64 lowercase letters, digits, "-" or "_"');

export const ManagerConfigSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(120),
  /** A built-in role (admin, head_of_sales, manager, accountant, observer) or one from `roles`. */
  role: z
    .string()
    .trim()
    .default('manager')
    .transform((r) => ROLE_ALIASES[r] ?? r),
  teams: z.array(KeySchema).default([]),
  capacity: z.number().int().min(0).max(1_000).default(20),
  /** Key in `businessHours`; the first team's hours when unset. */
  workingHours: KeySchema.optional(),
  /** This person's Slack member id (profile → ⋮ → Copy member ID); else matched by email on first use. */
  slackUserId: z.string().trim().regex(/^[UW][A-Z0-9]{2,20}$/, 'use a Slack member id such as U0123ABCD').optional(),
  /** This person's numeric Telegram user id (e.g. from @userinfobot); the desk bot acts only for mapped people. */
  telegramUserId: z.union([z.number().int().positive(), z.string().trim().regex(/^\d{1,15}$/, 'use a numeric Telegram user id such as 123456789')]).transform(String).optional(),
  /** This person's Telegram @username: matched once, then their numeric id is remembered. */
  telegramUsername: z.string().trim().regex(/^@?[A-Za-z][A-Za-z0-9_]{4,31}$/, 'use a Telegram username such as @ann_lee').transform((u) => u.replace(/^@/, '').toLowerCase()).optional(),
});
export type ManagerConfig = z.infer<typeof ManagerConfigSchema>;

export const TeamConfigSchema = z.object({
  id: KeySchema,
  name: z.string().min(1).max(120),
  /** Email of the manager SLA escalations go to. */
  head: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  businessHours: KeySchema,
});
export type TeamConfig = z.infer<typeof TeamConfigSchema>;

/** A custom role: a name and the permissions it grants, each with its scope (own, team, all). */
export const CustomRoleSchema = z.object({
  id: KeySchema.refine((id) => !BUILT_IN_ROLE_IDS.includes(id) && !(id in ROLE_ALIASES), 'is the id of a built-in role; pick another'),
  name: z.string().trim().min(1).max(120),
  permissions: z.partialRecord(z.enum(PERMISSIONS), z.enum(SCOPES)),
});
export type CustomRole = z.infer<typeof CustomRoleSchema>;

/**
 * config/team.json: business hours (named, per time zone), teams and managers. Managers are
 * kept in sync with the users collection by email at start-up.
 */
export const TeamSettingsSchema = z
  .object({
    businessHours: z.record(KeySchema, BusinessHoursSchema),
    teams: z.array(TeamConfigSchema).min(1),
    managers: z.array(ManagerConfigSchema).default([]),
    roles: z.array(CustomRoleSchema).default([]),
  })
  .superRefine((s, ctx) => {
    const hours = new Set(Object.keys(s.businessHours));
    const teams = new Set(s.teams.map((t) => t.id));
    const emails = new Set(s.managers.map((m) => m.email));
    s.teams.forEach((team, i) => {
      if (!hours.has(team.businessHours)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'businessHours'], message: `no business hours named "${team.businessHours}"` });
      if (team.head && !emails.has(team.head)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'head'], message: `no manager with email ${team.head}` });
    });
    const roles = new Set([...BUILT_IN_ROLE_IDS, ...s.roles.map((r) => r.id)]);
    const roleIds = new Set<string>();
    s.roles.forEach((r, i) => {
      if (roleIds.has(r.id)) ctx.addIssue({ code: 'custom', path: ['roles', i, 'id'], message: `role "${r.id}" is declared twice` });
      roleIds.add(r.id);
      // Changing a record starts by finding it, so a change reaching further than reading never works.
      for (const [permission, scope] of Object.entries(r.permissions)) {
        const [resource, action] = permission.split('.');
        if (action === 'read' || !(OWNED_RESOURCES as readonly string[]).includes(resource ?? '') || !scope) continue;
        const read = r.permissions[`${resource}.read` as keyof typeof r.permissions];
        if (!read || !scopeCovers(read, scope)) ctx.addIssue({ code: 'custom', path: ['roles', i, 'permissions', permission], message: `needs "${resource}.read" with scope "${scope}" or wider` });
      }
    });
    s.managers.forEach((m, i) => {
      if (!roles.has(m.role)) ctx.addIssue({ code: 'custom', path: ['managers', i, 'role'], message: `no role "${m.role}"; use one of ${[...roles].join(', ')}` });
    });
    const slackIds = new Set<string>();
    const telegramIds = new Set<string>();
    const telegramNames = new Set<string>();
    s.managers.forEach((m, i) => {
      if (m.slackUserId && slackIds.has(m.slackUserId)) ctx.addIssue({ code: 'custom', path: ['managers', i, 'slackUserId'], message: `${m.slackUserId} is given to two managers` });
      if (m.slackUserId) slackIds.add(m.slackUserId);
      if (m.telegramUserId && telegramIds.has(m.telegramUserId)) ctx.addIssue({ code: 'custom', path: ['managers', i, 'telegramUserId'], message: `${m.telegramUserId} is given to two managers` });
      if (m.telegramUserId) telegramIds.add(m.telegramUserId);
      if (m.telegramUsername && telegramNames.has(m.telegramUsername)) ctx.addIssue({ code: 'custom', path: ['managers', i, 'telegramUsername'], message: `@${m.telegramUsername} is given to two managers` });
      if (m.telegramUsername) telegramNames.add(m.telegramUsername);
      m.teams.forEach((t, j) => {
        if (!teams.has(t)) ctx.addIssue({ code: 'custom', path: ['managers', i, 'teams', j], message: `no team "${t}"` });
      });
      if (m.workingHours && !hours.has(m.workingHours)) ctx.addIssue({ code: 'custom', path: ['managers', i, 'workingHours'], message: `no business hours named "${m.workingHours}"` });
    });
  });
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;
