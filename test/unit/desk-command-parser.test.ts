import { describe, expect, it } from 'vitest';
import { parseDeskCommand } from '../../bots/desk-commands/desk-command.parser.js';
import { tokenize } from '../../bots/desk-commands/desk-tokenizer.js';

/** Wednesday 25 November 2026, 14:00 in Seoul (05:00 UTC). */
const NOW = new Date('2026-11-25T05:00:00Z');
const parse = (text: string, timeZone = 'Asia/Seoul') => parseDeskCommand(text, { now: NOW, timeZone });
const command = (text: string) => {
  const result = parse(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.text}`);
  return result.command;
};
const refusal = (text: string) => {
  const result = parse(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.command)}`);
  return result.text;
};

describe('tokenize', () => {
  it('keeps quoted words together, with straight and curly quotes, and Korean as is', () => {
    expect(tokenize('deal new "Kim Corp" 1200')).toEqual([
      { text: 'deal', quoted: false },
      { text: 'new', quoted: false },
      { text: 'Kim Corp', quoted: true },
      { text: '1200', quoted: false },
    ]);
    expect(tokenize('task add “next monday” 계약서  보내기').map((t) => t.text)).toEqual(['task', 'add', 'next monday', '계약서', '보내기']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => tokenize('deal new "Kim Corp 1200')).toThrow(/not closed/);
  });
});

describe('parseDeskCommand — deal', () => {
  it.each([
    ['deal new "Kim Corp" 1200 USD', { kind: 'deal.new', title: 'Kim Corp', amount: '1200', currency: 'USD' }],
    ['deal new “Kim Corp” 1,200.50', { kind: 'deal.new', title: 'Kim Corp', amount: '1200.50' }],
    ['deal new Kim Corp 1200 usd', { kind: 'deal.new', title: 'Kim Corp', amount: '1200', currency: 'USD' }],
    ['deal new Kim Corp windows', { kind: 'deal.new', title: 'Kim Corp windows' }],
    ['deal new 김철수 창호 교체 500000 KRW', { kind: 'deal.new', title: '김철수 창호 교체', amount: '500000', currency: 'KRW' }],
    ['deal stage #42 proposal', { kind: 'deal.stage', deal: 42, stage: 'proposal' }],
    ['deal stage 42 Proposal sent', { kind: 'deal.stage', deal: 42, stage: 'Proposal sent' }],
    ['deal amount #42 1,200.50 EUR', { kind: 'deal.amount', deal: 42, amount: '1200.50', currency: 'EUR' }],
    ['deal won #42', { kind: 'deal.won', deal: 42 }],
    ['deal lost #42 chose a competitor', { kind: 'deal.lost', deal: 42, reason: 'chose a competitor' }],
    ['deal list', { kind: 'deal.list', scope: 'mine' }],
    ['deal list all', { kind: 'deal.list', scope: 'all' }],
    ['deal list Proposal sent', { kind: 'deal.list', scope: 'stage', stage: 'Proposal sent' }],
  ])('%s', (text, expected) => {
    expect(command(text)).toEqual(expected);
  });

  it('accepts the Slack command word and the Telegram form with a slash and a bot name', () => {
    expect(command('/deal won #7')).toEqual({ kind: 'deal.won', deal: 7 });
    expect(command('/deal@SwitchboardBot won #7')).toEqual({ kind: 'deal.won', deal: 7 });
    expect(command('crm deal won #7')).toEqual({ kind: 'deal.won', deal: 7 });
    expect(command('DEAL WON #7')).toEqual({ kind: 'deal.won', deal: 7 });
  });

  it.each([
    ['deal amount #42 abc', 'amount must be a number like 1200 or 1,200.50 (got "abc")'],
    ['deal amount #42 1.200,50', 'amount must be a number like 1200 or 1,200.50'],
    ['deal amount #42', 'amount must be a number like 1200 or 1,200.50'],
    ['deal amount #42 100 dollars', 'currency must be a 3-letter code like USD (got "dollars")'],
    ['deal new "Kim Corp" lots', 'amount must be a number like 1200 or 1,200.50 (got "lots")'],
    ['deal new', 'give the deal a title'],
    ['deal stage kim proposal', '"kim" is not a deal number like #42'],
    ['deal stage #42', 'say which stage, by id or name'],
    ['deal won', 'say which deal, like #42'],
    ['deal lost #42', 'say why the deal was lost'],
    ['deal close #42', 'unknown deal command "close"'],
    ['deal', 'say what to do with deals'],
  ])('refuses "%s" with the deal usage and the reason', (text, reason) => {
    const reply = refusal(text);
    expect(reply).toContain(reason);
    expect(reply).toContain('usage: `deal new <title> [amount] [currency]`');
    expect(reply).not.toContain('task add');
  });
});

describe('parseDeskCommand — task', () => {
  it('splits the due date from the title at the longest phrase read as a date', () => {
    expect(command('task add tomorrow 10:00 call Kim')).toEqual({ kind: 'task.add', due: 'tomorrow 10:00', dueAt: new Date('2026-11-26T01:00:00Z'), title: 'call Kim' });
    expect(command('task add 내일 오후 3시 전화')).toEqual({ kind: 'task.add', due: '내일 오후 3시', dueAt: new Date('2026-11-26T06:00:00Z'), title: '전화' });
    expect(command('task add in 2 hours send 2 quotes')).toMatchObject({ due: 'in 2 hours', title: 'send 2 quotes' });
    expect(command('task add friday call "Kim Corp"')).toMatchObject({ due: 'friday', title: 'call Kim Corp' });
  });

  it('takes a quoted due date as is', () => {
    expect(command('task add "next monday" send contract')).toEqual({ kind: 'task.add', due: 'next monday', dueAt: new Date('2026-11-30T00:00:00Z'), title: 'send contract' });
    expect(command('task add “다음주 월요일 오전 10시” 계약서 보내기')).toMatchObject({ due: '다음주 월요일 오전 10시', title: '계약서 보내기' });
  });

  it('reads the due date in the manager time zone', () => {
    const result = parse('task add tomorrow 10:00 call Kim', 'America/New_York');
    expect(result.ok && result.command).toMatchObject({ dueAt: new Date('2026-11-26T15:00:00Z') });
  });

  it.each([
    ['task list', 'today'],
    ['task list today', 'today'],
    ['task list overdue', 'overdue'],
    ['task list all', 'all'],
  ])('%s', (text, scope) => {
    expect(command(text)).toEqual({ kind: 'task.list', scope });
  });

  it('names tasks by short number or id', () => {
    expect(command('task done #3')).toEqual({ kind: 'task.done', task: '#3' });
    expect(command('task done 65f0c0ffee0000000000abcd')).toEqual({ kind: 'task.done', task: '65f0c0ffee0000000000abcd' });
  });

  it.each([
    ['task add someday call Kim', 'could not read a due date at the start of "someday call Kim"'],
    ['task add "whenever" call Kim', 'could not read "whenever" as a due date'],
    ['task add tomorrow', 'give a due date and then a title'],
    ['task add "tomorrow"', 'title'],
    ['task add', 'give a due date and a title'],
    ['task list soon', 'list today, overdue or all — not "soon"'],
    ['task done call Kim', '"call Kim" is not a task number like #3'],
    ['task done', 'say which task, like #3'],
    ['task remove #3', 'unknown task command "remove"'],
  ])('refuses "%s" with the task usage and the reason', (text, reason) => {
    const reply = refusal(text);
    expect(reply).toContain(reason);
    expect(reply).toContain('usage: `task add <due> <title>`');
  });
});

describe('parseDeskCommand — contact', () => {
  it.each([
    ['contact find Kim Corp', { kind: 'contact.find', query: 'Kim Corp' }],
    ['contact find 김철수', { kind: 'contact.find', query: '김철수' }],
    ['contact show', { kind: 'contact.show' }],
    ['contact show #17', { kind: 'contact.show', ref: '#17' }],
    ['contact show 65f0c0ffee0000000000abcd', { kind: 'contact.show', ref: '65f0c0ffee0000000000abcd' }],
    ['contact edit name "Kim Minjun"', { kind: 'contact.edit', field: 'name', value: 'Kim Minjun' }],
    ['contact edit #17 email kim@example.com', { kind: 'contact.edit', conversation: '#17', field: 'email', value: 'kim@example.com' }],
    ['contact edit tags vip', { kind: 'contact.edit', field: 'tag', value: 'vip' }],
    ['contact edit owner @ann@example.com', { kind: 'contact.edit', field: 'owner', value: '@ann@example.com' }],
  ])('%s', (text, expected) => {
    expect(command(text)).toEqual(expected);
  });

  it.each([
    ['contact find', 'say what to look for'],
    ['contact show Kim', '"Kim" is neither a contact id nor a conversation number like #17'],
    ['contact edit birthday 1990-01-01', 'cannot edit "birthday"; fields: name, email, phone, tag, owner, lifecycle'],
    ['contact edit email', 'give the new email'],
    ['contact delete', 'unknown contact command "delete"'],
  ])('refuses "%s" with the contact usage and the reason', (text, reason) => {
    const reply = refusal(text);
    expect(reply).toContain(reason);
    expect(reply).toContain('usage: `contact find');
  });
});

describe('parseDeskCommand — conversation commands, availability and help', () => {
  it.each([
    ['assign', { kind: 'assign', target: 'me' }],
    ['assign me #17', { kind: 'assign', target: 'me', conversation: '#17' }],
    ['assign @ann@example.com', { kind: 'assign', target: '@ann@example.com' }],
    ['assign Ann Lee #17', { kind: 'assign', target: 'Ann Lee', conversation: '#17' }],
    ['close', { kind: 'close' }],
    ['close #17', { kind: 'close', conversation: '#17' }],
    ['reopen #17', { kind: 'reopen', conversation: '#17' }],
    ['note VIP, call back after 6pm', { kind: 'note', text: 'VIP, call back after 6pm' }],
    ['note 내일 다시 연락 in #17', { kind: 'note', text: '내일 다시 연락', conversation: '#17' }],
    ['note ask about order #17', { kind: 'note', text: 'ask about order #17' }],
    ['away', { kind: 'away' }],
    ['back', { kind: 'back' }],
    ['help', { kind: 'help' }],
    ['help deal', { kind: 'help', topic: 'deal' }],
  ])('%s', (text, expected) => {
    expect(command(text)).toEqual(expected);
  });

  it.each([
    ['close Kim', 'close', '"Kim" is not a conversation number like #17'],
    ['reopen now please', 'reopen', '"now please" is not a conversation number like #17'],
    ['note', 'note', 'write the note text'],
    ['note in #17', 'note', 'write the note text'],
  ])('refuses "%s"', (text, noun, reason) => {
    const reply = refusal(text);
    expect(reply).toContain(reason);
    expect(reply).toContain(`usage: \`${noun}`);
  });

  it('answers an unknown or empty command with the full help', () => {
    expect(refusal('invoice weekly')).toMatch(/^unknown command "invoice"\n\n\*Desk commands\*/);
    expect(refusal('')).toContain('`deal new <title> [amount] [currency]`');
    expect(refusal('   ')).toContain('`task list [today|overdue|all]`');
    expect(refusal('deal new "Kim Corp 1200')).toContain('the quote opened with " is not closed');
  });

  it('refuses a title longer than a deal allows, naming the field', () => {
    expect(refusal(`deal new "${'x'.repeat(201)}"`)).toMatch(/^title: .*\nusage: `deal new/);
  });
});

describe('parseDeskCommand — report', () => {
  it.each([
    ['report', { kind: 'report.list' }],
    ['report list', { kind: 'report.list' }],
    ['REPORT LIST', { kind: 'report.list' }],
    ['report deals-per-manager', { kind: 'report.run', report: 'deals-per-manager' }],
    ['report deals-per-manager last month', { kind: 'report.run', report: 'deals-per-manager', period: 'last month' }],
    ['report revenue 2026-Q3', { kind: 'report.run', report: 'revenue', period: '2026-Q3' }],
    ['report "Deals per manager" last month', { kind: 'report.run', report: 'Deals per manager', period: 'last month' }],
    ['report “Deals per manager” 2026-11-01..2026-11-15', { kind: 'report.run', report: 'Deals per manager', period: '2026-11-01..2026-11-15' }],
    // A report saved under the name "list" is run by quoting it.
    ['report "list"', { kind: 'report.run', report: 'list' }],
    // Unquoted names of several words arrive split; the command tries the longer names.
    ['report Deals per manager', { kind: 'report.run', report: 'Deals', period: 'per manager' }],
    // The period is read later (resolvePeriod), so any words pass here.
    ['report revenue next fortnight', { kind: 'report.run', report: 'revenue', period: 'next fortnight' }],
    ['report 매출 지난달', { kind: 'report.run', report: '매출', period: '지난달' }],
  ])('%s', (text, expected) => {
    expect(command(text)).toEqual(expected);
  });

  it('accepts the Slack command word and the Telegram /report and /crm report forms', () => {
    const expected = { kind: 'report.run', report: 'revenue', period: '2026' };
    expect(command('crm report revenue 2026')).toEqual(expected);
    expect(command('/report revenue 2026')).toEqual(expected);
    expect(command('/report@SwitchboardBot revenue 2026')).toEqual(expected);
    expect(command('/crm report revenue 2026')).toEqual(expected);
    expect(command('/report')).toEqual({ kind: 'report.list' });
  });

  it.each([
    ['report list last month', '`report list` takes nothing more (got "last month")'],
    ['report ""', 'say which report, by id or name'],
    [`report "${'x'.repeat(201)}"`, 'report: '],
    [`report revenue ${'last '.repeat(30)}`, 'period: '],
  ])('refuses "%s" with the report usage and the reason', (text, reason) => {
    const reply = refusal(text);
    expect(reply).toContain(reason);
    expect(reply).toContain('usage: `report list`');
    expect(reply).toContain('`report <name or id> [period]`');
  });

  it('has the report usage in the help', () => {
    expect(command('help report')).toEqual({ kind: 'help', topic: 'report' });
    expect(refusal('')).toContain('`report revenue 2026-Q3`');
  });
});
