/** Usage lines per noun; a bad command answers with its noun's lines (and why it was refused). */
export const DESK_USAGE = {
  deal: [
    '`deal new <title> [amount] [currency]` — e.g. `deal new "Kim Corp" 1200 USD`',
    '`deal stage <#deal> <stage id or name>` — e.g. `deal stage #42 proposal`',
    '`deal amount <#deal> <amount> [currency]` — e.g. `deal amount #42 1,200.50`',
    '`deal won <#deal>`',
    '`deal lost <#deal> <reason>` — e.g. `deal lost #42 chose a competitor`',
    '`deal list [mine|all|<stage>]`',
  ],
  task: [
    '`task add <due> <title>` — e.g. `task add tomorrow 10:00 call Kim`, `task add "next monday" send contract`, `task add 내일 오후 3시 전화`',
    '`task list [today|overdue|all]`',
    '`task done <#task>` — the number shown by `task list`',
  ],
  contact: [
    '`contact find <name, email or phone>`',
    '`contact show [contact id|#conversation]`',
    '`contact edit [#conversation] <name|email|phone|tag|owner|lifecycle> <value>`',
  ],
  assign: ['`assign [me|@email|user name] [#conversation]`'],
  close: ['`close [#conversation]`'],
  reopen: ['`reopen [#conversation]`'],
  note: ['`note <text> [in #conversation]` — a private note the customer never sees'],
  away: ['`away` — routing stops giving you new conversations'],
  back: ['`back` — routing gives you conversations again'],
  report: [
    '`report list` — the reports you can run',
    '`report <name or id> [period]` — a chart and a table, e.g. `report deals-per-manager last month`, `report revenue 2026-Q3`, `report "Deals per manager" 2026-11`',
    'periods: today, yesterday, this|last week|month|quarter|year, last 30 days, 2026, 2026-11, 2026-Q3, 2026-11-28, 2026-11-01..2026-11-15',
  ],
  help: ['`help [deal|task|contact|report|…]`'],
} as const satisfies Record<string, readonly string[]>;

export type DeskNoun = keyof typeof DESK_USAGE;

/** True when `word` names a desk command noun. */
export function isDeskNoun(word: string): word is DeskNoun {
  return Object.hasOwn(DESK_USAGE, word);
}

/** "usage: …" for one noun, with the reason first when there is one. */
export function usageText(noun: DeskNoun, reason?: string): string {
  const lines = DESK_USAGE[noun];
  const head = reason ? `${reason}\n` : '';
  return `${head}usage: ${lines.join('\n       ')}`;
}

/**
 * The full usage text: every command, one per line. Commands about a conversation use the
 * thread or topic they are typed in, or a short number like #17 given anywhere.
 */
export const DESK_COMMAND_HELP: string = [
  '*Desk commands*',
  ...Object.values(DESK_USAGE).flat(),
  'Commands about a conversation work inside its thread, or anywhere with its number (#17).',
].join('\n');
