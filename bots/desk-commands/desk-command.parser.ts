import { parseDueDate } from '../../src/domain/due-date.js';
import { DeskCommandSchema, type DeskCommand } from './desk-command.schema.js';
import { joinTokens, tokenize, TokenizeError, type DeskToken } from './desk-tokenizer.js';
import { DESK_COMMAND_HELP, isDeskNoun, usageText, type DeskNoun } from './desk-usage.js';

/** What the parser needs to read due dates: "now" and the manager's time zone. */
export interface ParseOptions {
  now: Date;
  timeZone: string;
}

/** A parsed command, or the usage text to answer with. */
export type ParseResult = { ok: true; command: DeskCommand } | { ok: false; text: string };

/** A refusal carrying the noun whose usage to show. */
class UsageError extends Error {
  constructor(
    readonly noun: DeskNoun,
    reason: string,
  ) {
    super(reason);
  }
}

/** `#17` (a short number) or a full 24-hex id. */
const SHORT_REF = /^(#\d{1,9}|[0-9a-f]{24})$/i;
const AMOUNT = /^(\d{1,3}(,\d{3})+|\d{1,16})(\.\d{1,16})?$/;
const CURRENCY = /^[A-Za-z]{3}$/;
/** A due phrase is at most this many words ("다음주 월요일 오후 3시 반" is five). */
const MAX_DUE_WORDS = 6;
const DUE_EXAMPLES = 'try "tomorrow 10:00", "friday 5pm", "in 2 hours", "내일 오후 3시", or quote it: task add "next monday" send contract';

function dealNumber(token: DeskToken | undefined): number {
  const match = token ? /^#?(\d{1,9})$/.exec(token.text) : null;
  if (!match) throw new UsageError('deal', token ? `"${token.text}" is not a deal number like #42` : 'say which deal, like #42');
  return Number(match[1]);
}

function isAmount(token: DeskToken | undefined): boolean {
  return Boolean(token && !token.quoted && AMOUNT.test(token.text));
}

function amountOf(token: DeskToken | undefined): string {
  if (!token || !isAmount(token)) throw new UsageError('deal', `amount must be a number like 1200 or 1,200.50${token ? ` (got "${token.text}")` : ''}`);
  return token.text.replace(/,/g, '');
}

function currencyOf(token: DeskToken): string {
  if (token.quoted || !CURRENCY.test(token.text)) throw new UsageError('deal', `currency must be a 3-letter code like USD (got "${token.text}")`);
  return token.text.toUpperCase();
}

/** Optional `amount [currency]` after a title or deal number; anything more is refused. */
function moneyArgs(tokens: DeskToken[]): { amount?: string; currency?: string } {
  if (tokens.length > 2) throw new UsageError('deal', `too many words after the amount: "${joinTokens(tokens.slice(2))}"`);
  const [amount, currency] = tokens;
  if (!amount) return {};
  return { amount: amountOf(amount), ...(currency ? { currency: currencyOf(currency) } : {}) };
}

/** `deal new`: a quoted title then money, or unquoted words whose trailing money is split off. */
function dealNew(args: DeskToken[]): Record<string, unknown> {
  const first = args[0];
  if (!first || !first.text) throw new UsageError('deal', 'give the deal a title');
  if (first.quoted) return { title: first.text, ...moneyArgs(args.slice(1)) };
  const last = args.at(-1);
  const beforeLast = args.at(-2);
  if (args.length >= 3 && last && CURRENCY.test(last.text) && !last.quoted && isAmount(beforeLast)) {
    return { title: joinTokens(args.slice(0, -2)), amount: amountOf(beforeLast), currency: last.text.toUpperCase() };
  }
  if (args.length >= 2 && isAmount(last)) return { title: joinTokens(args.slice(0, -1)), amount: amountOf(last) };
  return { title: joinTokens(args) };
}

function parseDeal(verb: string, args: DeskToken[]): Record<string, unknown> {
  switch (verb) {
    case 'new':
      return { kind: 'deal.new', ...dealNew(args) };
    case 'stage': {
      const stage = joinTokens(args.slice(1));
      const deal = dealNumber(args[0]);
      if (!stage) throw new UsageError('deal', 'say which stage, by id or name');
      return { kind: 'deal.stage', deal, stage };
    }
    case 'amount':
      return { kind: 'deal.amount', deal: dealNumber(args[0]), ...moneyArgs(args.slice(1)), amount: amountOf(args[1]) };
    case 'won':
      return { kind: 'deal.won', deal: dealNumber(args[0]) };
    case 'lost': {
      const deal = dealNumber(args[0]);
      const reason = joinTokens(args.slice(1));
      if (!reason) throw new UsageError('deal', 'say why the deal was lost');
      return { kind: 'deal.lost', deal, reason };
    }
    case 'list': {
      const scope = joinTokens(args);
      if (!scope || scope === 'mine') return { kind: 'deal.list', scope: 'mine' };
      if (scope === 'all') return { kind: 'deal.list', scope: 'all' };
      return { kind: 'deal.list', scope: 'stage', stage: scope };
    }
    default:
      throw new UsageError('deal', verb ? `unknown deal command "${verb}"` : 'say what to do with deals');
  }
}

/** Due and title: a quoted first word is the due, else the longest leading phrase read as a date. */
function dueAndTitle(args: DeskToken[], options: ParseOptions): Record<string, unknown> {
  const first = args[0];
  if (!first) throw new UsageError('task', 'give a due date and a title');
  const read = (phrase: string) => parseDueDate(phrase, { now: options.now, timeZone: options.timeZone });
  if (first.quoted) {
    const dueAt = read(first.text);
    if (!dueAt) throw new UsageError('task', `could not read "${first.text}" as a due date; ${DUE_EXAMPLES}`);
    return { due: first.text, dueAt, title: joinTokens(args.slice(1)) };
  }
  for (let words = Math.min(MAX_DUE_WORDS, args.length - 1); words >= 1; words -= 1) {
    const head = args.slice(0, words);
    if (head.some((t) => t.quoted)) continue;
    const due = joinTokens(head);
    const dueAt = read(due);
    if (dueAt) return { due, dueAt, title: joinTokens(args.slice(words)) };
  }
  const reason = args.length === 1 ? 'give a due date and then a title' : `could not read a due date at the start of "${joinTokens(args).slice(0, 60)}"; ${DUE_EXAMPLES}`;
  throw new UsageError('task', reason);
}

function parseTask(verb: string, args: DeskToken[], options: ParseOptions): Record<string, unknown> {
  switch (verb) {
    case 'add':
      return { kind: 'task.add', ...dueAndTitle(args, options) };
    case 'list': {
      const scope = joinTokens(args) || 'today';
      if (!['today', 'overdue', 'all'].includes(scope)) throw new UsageError('task', `list today, overdue or all — not "${scope}"`);
      return { kind: 'task.list', scope };
    }
    case 'done': {
      const task = args[0]?.text;
      if (!task || args.length > 1 || !SHORT_REF.test(task)) throw new UsageError('task', task ? `"${joinTokens(args)}" is not a task number like #3` : 'say which task, like #3');
      return { kind: 'task.done', task };
    }
    default:
      throw new UsageError('task', verb ? `unknown task command "${verb}"` : 'say what to do with tasks');
  }
}

const CONTACT_FIELDS: Record<string, string> = { name: 'name', email: 'email', emails: 'email', phone: 'phone', phones: 'phone', tag: 'tag', tags: 'tag', owner: 'owner', lifecycle: 'lifecycle' };

function parseContact(verb: string, args: DeskToken[]): Record<string, unknown> {
  switch (verb) {
    case 'find': {
      const query = joinTokens(args);
      if (!query) throw new UsageError('contact', 'say what to look for: a name, an email or a phone');
      return { kind: 'contact.find', query };
    }
    case 'show': {
      const ref = args[0]?.text;
      if (args.length > 1 || (ref !== undefined && !SHORT_REF.test(ref))) throw new UsageError('contact', `"${joinTokens(args)}" is neither a contact id nor a conversation number like #17`);
      return { kind: 'contact.show', ...(ref ? { ref } : {}) };
    }
    case 'edit': {
      const conversation = args[0] && SHORT_REF.test(args[0].text) ? args.shift()?.text : undefined;
      const field = CONTACT_FIELDS[args[0]?.text.toLowerCase() ?? ''];
      if (!field) throw new UsageError('contact', args[0] ? `cannot edit "${args[0].text}"; fields: name, email, phone, tag, owner, lifecycle` : 'say which field to change');
      const value = joinTokens(args.slice(1));
      if (!value) throw new UsageError('contact', `give the new ${field}`);
      return { kind: 'contact.edit', field, value, ...(conversation ? { conversation } : {}) };
    }
    default:
      throw new UsageError('contact', verb ? `unknown contact command "${verb}"` : 'say what to do with contacts');
  }
}

/** A trailing conversation reference (`#17`, optionally after `in`) split off the words. */
function trailingConversation(args: DeskToken[], afterIn: boolean): { rest: DeskToken[]; conversation?: string } {
  const last = args.at(-1);
  if (!last || last.quoted || !SHORT_REF.test(last.text)) return { rest: args };
  if (!afterIn) return { rest: args.slice(0, -1), conversation: last.text };
  if (args.at(-2)?.text.toLowerCase() !== 'in') return { rest: args };
  return { rest: args.slice(0, -2), conversation: last.text };
}

function parseConversationCommand(noun: 'assign' | 'close' | 'reopen' | 'note', args: DeskToken[]): Record<string, unknown> {
  const { rest, conversation } = trailingConversation(args, noun === 'note');
  const ref = conversation ? { conversation } : {};
  if (noun === 'note') {
    const text = joinTokens(rest);
    if (!text) throw new UsageError('note', 'write the note text');
    return { kind: 'note', text, ...ref };
  }
  if (noun === 'assign') return { kind: 'assign', target: joinTokens(rest) || 'me', ...ref };
  if (rest.length) throw new UsageError(noun, `"${joinTokens(rest)}" is not a conversation number like #17`);
  return { kind: noun, ...ref };
}

/**
 * `report [list]` → the list; `report <name or id> [period…]`: the first word (quoted when the
 * name has spaces) names the report, the rest is the period, read later by resolvePeriod.
 */
function parseReport(args: DeskToken[]): Record<string, unknown> {
  const [name, ...rest] = args;
  if (!name || (!name.quoted && name.text.toLowerCase() === 'list')) {
    if (rest.length) throw new UsageError('report', `\`report list\` takes nothing more (got "${joinTokens(rest).slice(0, 60)}")`);
    return { kind: 'report.list' };
  }
  if (!name.text) throw new UsageError('report', 'say which report, by id or name');
  const period = joinTokens(rest);
  return { kind: 'report.run', report: name.text, ...(period ? { period } : {}) };
}

/** The noun word: `/deal@MyBot` → `deal`; a leading `crm` (Slack's command itself) is skipped. */
function nounOf(tokens: DeskToken[]): string {
  const word = (t: DeskToken | undefined) => (t ? t.text.replace(/^\//, '').replace(/@\S*$/, '').toLowerCase() : '');
  if (word(tokens[0]) === 'crm') tokens.shift();
  return word(tokens.shift());
}

function toCommand(noun: DeskNoun, args: DeskToken[], options: ParseOptions): Record<string, unknown> {
  const verbToken = args.shift();
  const verb = verbToken?.text.toLowerCase() ?? '';
  switch (noun) {
    case 'deal':
      return parseDeal(verb, args);
    case 'task':
      return parseTask(verb, args, options);
    case 'contact':
      return parseContact(verb, args);
    case 'help':
      return { kind: 'help', ...(verb ? { topic: verb.slice(0, 40) } : {}) };
    case 'away':
    case 'back':
      return { kind: noun };
    case 'report':
      return parseReport(verbToken ? [verbToken, ...args] : args);
    default:
      return parseConversationCommand(noun, verbToken ? [verbToken, ...args] : args);
  }
}

/**
 * Reads a desk command line — what follows `/crm` in Slack, or a Telegram `/deal …` — into a
 * validated command. Pure (due dates are read against `options`); never throws on bad input:
 * a refusal is the usage text of the command, with the reason first.
 */
export function parseDeskCommand(line: string, options: ParseOptions): ParseResult {
  let tokens: DeskToken[];
  try {
    tokens = tokenize(line);
  } catch (err) {
    if (err instanceof TokenizeError) return { ok: false, text: `${err.message}\n\n${DESK_COMMAND_HELP}` };
    throw err;
  }
  const noun = nounOf(tokens);
  if (!noun) return { ok: false, text: DESK_COMMAND_HELP };
  if (!isDeskNoun(noun)) return { ok: false, text: `unknown command "${noun.slice(0, 40)}"\n\n${DESK_COMMAND_HELP}` };
  try {
    const parsed = DeskCommandSchema.safeParse(toCommand(noun, tokens, options));
    if (parsed.success) return { ok: true, command: parsed.data };
    const issue = parsed.error.issues[0];
    return { ok: false, text: usageText(noun, issue ? `${issue.path.join('.') || 'command'}: ${issue.message}` : undefined) };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, text: usageText(err.noun, err.message) };
    throw err;
  }
}
