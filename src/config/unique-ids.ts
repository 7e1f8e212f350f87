import type { z } from 'zod';

/** Adds an issue at `<listPath>.<i>.id` for every item whose id appeared earlier in the list. */
export function reportDuplicateIds(ctx: z.RefinementCtx, items: readonly { id: string }[], listPath: string, what: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [listPath, i, 'id'], message: `duplicate ${what} id "${item.id}"` });
    seen.add(item.id);
  });
}
