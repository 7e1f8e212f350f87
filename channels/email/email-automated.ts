import { firstHeader, headerParams, type RawHeaders } from './email-headers.js';

/** What kind of machine sent a mail. */
export type AutomatedKind = 'auto-reply' | 'bounce' | 'mailing-list' | 'no-reply' | 'bulk';

/** Why a mail is taken for machine-sent: stored, but never answered by the bot. */
export interface AutomatedMail {
  kind: AutomatedKind;
  /** The header or sender that decided it, for the logs and the manager. */
  reason: string;
}

const BOUNCE_SENDERS = new Set(['mailer-daemon', 'postmaster']);
const NO_REPLY_SENDERS = new Set(['no-reply', 'noreply', 'no_reply', 'do-not-reply', 'donotreply', 'do_not_reply', 'notifications']);

/** Subjects auto-responders write, at the very start (a person's "Re: Out of office" is not one). */
const AUTO_REPLY_SUBJECT =
  /^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office|abwesenheitsnotiz|abwesend|réponse automatique|automatisch antwoord|자동 회신|자동회신|자동 응답|부재중|автоответ|автоматический ответ|自动回复|自動回覆|自動応答)/iu;

/**
 * Headers Exchange sets on mail its own rules generate (out-of-office, inbox rules). Weak on
 * their own: a redirect rule also passes on a person's mail.
 */
const EXCHANGE_RULE_HEADERS = ['x-ms-exchange-inbox-rules-loop', 'x-ms-exchange-generated-message-source'];

/**
 * Decides whether a mail was written by a machine. The first rule that matches wins:
 *
 * 1. `Content-Type: multipart/report` (delivery-status → bounce; disposition-notification, a
 *    read receipt → auto-reply), or a sender whose whole local part is mailer-daemon or
 *    postmaster → bounce.
 * 2. `Auto-Submitted` with any value but `no` (RFC 3834) → auto-reply.
 * 3. `X-Autoreply` / `X-Autorespond` (any value but no/false/0) → auto-reply.
 * 4. `Precedence: auto_reply` → auto-reply; `list` → mailing-list; `bulk` / `junk` → bulk.
 * 5. `List-Id` → mailing-list; `List-Unsubscribe` → bulk.
 * 6. An empty `Return-Path: <>` (the null sender only machines use) → auto-reply.
 * 7. A sender whose whole local part is no-reply, noreply, do-not-reply, donotreply or
 *    notifications (case-insensitive) → no-reply.
 * 8. An auto-responder subject ("Automatic reply:", "Out of Office", "자동 회신", "부재중",
 *    "Автоответ", …) at the start, but only together with a weak signal: an Exchange rule
 *    header (X-MS-Exchange-Inbox-Rules-Loop, X-MS-Exchange-Generated-Message-Source) or
 *    `X-Auto-Response-Suppress` naming OOF or All → auto-reply.
 *
 * `X-Auto-Response-Suppress` alone is never a signal: Outlook puts it on ordinary mail.
 * Answers undefined when a person wrote.
 */
export function classifyAutomated(headers: RawHeaders, fromAddress: string | undefined, subject = ''): AutomatedMail | undefined {
  return (
    reportOrDaemon(headers, fromAddress) ??
    autoSubmitted(headers) ??
    precedenceOrList(headers) ??
    nullSender(headers) ??
    noReplySender(fromAddress) ??
    autoReplySubject(headers, subject)
  );
}

function localPart(address: string | undefined): string {
  if (!address) return '';
  const at = address.lastIndexOf('@');
  return (at >= 0 ? address.slice(0, at) : address).trim().toLowerCase();
}

function reportOrDaemon(headers: RawHeaders, fromAddress: string | undefined): AutomatedMail | undefined {
  const type = headerParams(firstHeader(headers, 'content-type'));
  if (type.value === 'multipart/report') {
    const reportType = (type.params['report-type'] ?? '').toLowerCase();
    if (reportType === 'disposition-notification') return { kind: 'auto-reply', reason: 'read receipt (multipart/report; report-type=disposition-notification)' };
    return { kind: 'bounce', reason: `delivery report (multipart/report; report-type=${reportType || 'none'})` };
  }
  const local = localPart(fromAddress);
  if (BOUNCE_SENDERS.has(local)) return { kind: 'bounce', reason: `sent by ${local}` };
  return undefined;
}

function autoSubmitted(headers: RawHeaders): AutomatedMail | undefined {
  const value = firstHeader(headers, 'auto-submitted');
  const token = headerParams(value).value;
  if (value !== undefined && token !== 'no' && token !== '') return { kind: 'auto-reply', reason: `Auto-Submitted: ${token}` };
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const flag = firstHeader(headers, name);
    if (flag !== undefined && !/^(?:no|false|0)$/iu.test(flag.trim())) return { kind: 'auto-reply', reason: `${name === 'x-autoreply' ? 'X-Autoreply' : 'X-Autorespond'}: ${flag}` };
  }
  return undefined;
}

function precedenceOrList(headers: RawHeaders): AutomatedMail | undefined {
  const precedence = firstHeader(headers, 'precedence')?.trim().toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'auto-reply', reason: 'Precedence: auto_reply' };
  if (precedence === 'list') return { kind: 'mailing-list', reason: 'Precedence: list' };
  if (precedence === 'bulk' || precedence === 'junk') return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  const listId = firstHeader(headers, 'list-id');
  if (listId !== undefined) return { kind: 'mailing-list', reason: `List-Id: ${listId.slice(0, 200)}` };
  if (firstHeader(headers, 'list-unsubscribe') !== undefined) return { kind: 'bulk', reason: 'List-Unsubscribe present' };
  return undefined;
}

function nullSender(headers: RawHeaders): AutomatedMail | undefined {
  const returnPath = firstHeader(headers, 'return-path');
  if (returnPath !== undefined && /^<\s*>$/u.test(returnPath.trim())) return { kind: 'auto-reply', reason: 'empty Return-Path <> (null sender)' };
  return undefined;
}

function noReplySender(fromAddress: string | undefined): AutomatedMail | undefined {
  const local = localPart(fromAddress);
  return NO_REPLY_SENDERS.has(local) ? { kind: 'no-reply', reason: `sent from ${local}@` } : undefined;
}

function autoReplySubject(headers: RawHeaders, subject: string): AutomatedMail | undefined {
  const match = AUTO_REPLY_SUBJECT.exec(subject);
  if (!match) return undefined;
  const exchange = EXCHANGE_RULE_HEADERS.find((name) => headers.has(name));
  const suppress = firstHeader(headers, 'x-auto-response-suppress');
  const weak = exchange ?? (suppress && /\b(?:oof|all)\b/iu.test(suppress) ? `x-auto-response-suppress: ${suppress}` : undefined);
  return weak ? { kind: 'auto-reply', reason: `auto-reply subject "${match[0].trim()}" with ${weak}` } : undefined;
}
