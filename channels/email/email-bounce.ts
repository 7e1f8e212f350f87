import { firstHeader, parseHeaderBlock, splitHeadersAndBody } from './email-headers.js';
import { normalizeMessageId } from './email-message-id.js';

/** What a delivery report says about one recipient (RFC 3464 per-recipient fields). */
export interface BounceRecipient {
  /** Final-Recipient without its address type (`rfc822; a@b` → `a@b`), lower-cased. */
  recipient: string;
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded' | 'unknown';
  /** The enhanced status code, e.g. `5.1.1`, when the report gave a valid one. */
  status?: string;
  /** True for a 4.x.x status: the server may still deliver, or might later. */
  transient: boolean;
  /** What the remote server said (`Diagnostic-Code` without its `smtp;` type). */
  diagnostic?: string;
}

/** A delivery status notification (a bounce or a delay notice), as far as we use it. */
export interface ParsedBounce {
  /** Message-IDs of the mail the report is about, from the returned message or headers, then the envelope id. */
  originalMessageIds: string[];
  /** The envelope sender the report names (Postfix's X-Postfix-Sender), lower-cased. */
  envelopeSender?: string;
  recipients: BounceRecipient[];
  /**
   * True when delivery was given up for at least one recipient (`Action: failed`, 5.x.x or a
   * 4.x.x that ran out of retries); false for a delay or success notice — a delay is not a failure.
   */
  permanent: boolean;
  /** One line for the manager: who, what status, what the server said (≤ 500 characters). */
  summary: string;
}

/** The parts of a parsed mail a report is read from (mailparser's ParsedMail fits). */
export interface BounceSource {
  headers: ReadonlyMap<string, unknown>;
  /** The non-text parts; parse with `keepDeliveryStatus` so the delivery-status part is one of them. */
  attachments: ReadonlyArray<{ contentType: string; content: Buffer }>;
}

const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_MESSAGE = new Set(['message/rfc822', 'message/global']);
const RETURNED_HEADERS = new Set(['text/rfc822-headers', 'message/global-headers']);
const ACTIONS = new Set<BounceRecipient['action']>(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/**
 * Reads an RFC 3464 delivery report (`multipart/report; report-type=delivery-status`, as Postfix,
 * Exchange and Gmail send them). Answers undefined for any other mail, and for a report without
 * a delivery-status part naming at least one recipient.
 */
export function parseBounce(parsed: BounceSource): ParsedBounce | undefined {
  if (!isDeliveryReport(parsed.headers.get('content-type'))) return undefined;
  const statusPart = parsed.attachments.find((a) => STATUS_PARTS.has(a.contentType.toLowerCase()));
  if (!statusPart) return undefined;
  const [perMessage = new Map<string, string[]>(), ...perRecipient] = statusBlocks(statusPart.content.toString('utf8'));
  const recipients = perRecipient.map(readRecipient).filter((r): r is BounceRecipient => r !== undefined);
  if (recipients.length === 0) return undefined;
  const sender = addressOf(firstHeader(perMessage, 'x-postfix-sender'));
  return {
    originalMessageIds: originalIds(parsed, firstHeader(perMessage, 'original-envelope-id')),
    ...(sender ? { envelopeSender: sender } : {}),
    recipients,
    permanent: recipients.some((r) => r.action === 'failed'),
    summary: summarize(recipients),
  };
}

function isDeliveryReport(contentType: unknown): boolean {
  if (!contentType || typeof contentType !== 'object' || !('value' in contentType)) return false;
  const { value, params } = contentType as { value?: unknown; params?: Record<string, string> };
  return String(value).toLowerCase() === 'multipart/report' && (params?.['report-type'] ?? '').toLowerCase() === 'delivery-status';
}

/** The per-message block, then one block per recipient, split at empty lines. */
function statusBlocks(text: string): Map<string, string[]>[] {
  return text
    .split(/\r?\n(?:[ \t]*\r?\n)+/u)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map(parseHeaderBlock);
}

function readRecipient(fields: Map<string, string[]>): BounceRecipient | undefined {
  const recipient = addressOf(firstHeader(fields, 'final-recipient') ?? firstHeader(fields, 'original-recipient'));
  const actionText = firstHeader(fields, 'action')?.trim().toLowerCase() ?? '';
  if (!recipient || !actionText) return undefined;
  const action = ACTIONS.has(actionText as BounceRecipient['action']) ? (actionText as BounceRecipient['action']) : 'unknown';
  const status = /^[245]\.\d{1,3}\.\d{1,3}/u.exec(firstHeader(fields, 'status')?.trim() ?? '')?.[0];
  const diagnostic = firstHeader(fields, 'diagnostic-code')?.replace(/^[\w-]+;\s*/u, '').trim();
  return { recipient, action, ...(status ? { status } : {}), transient: status?.startsWith('4.') ?? false, ...(diagnostic ? { diagnostic } : {}) };
}

/** `rfc822; Kim@Example.com` → `kim@example.com`; a value without a type is taken whole. */
function addressOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const address = value.replace(/^[\w-]+;\s*/u, '').replace(/^<(.*)>$/u, '$1').trim().toLowerCase();
  return address.length > 0 && address.length <= 320 ? address : undefined;
}

function originalIds(parsed: BounceSource, envelopeId: string | undefined): string[] {
  const ids: string[] = [];
  for (const part of parsed.attachments) {
    const type = part.contentType.toLowerCase();
    if (!RETURNED_MESSAGE.has(type) && !RETURNED_HEADERS.has(type)) continue;
    const head = RETURNED_HEADERS.has(type) ? part.content.toString('utf8') : splitHeadersAndBody(part.content.toString('utf8')).head;
    const id = normalizeMessageId(firstHeader(parseHeaderBlock(head), 'message-id'));
    if (id && !ids.includes(id)) ids.push(id);
  }
  const envid = normalizeMessageId(envelopeId ? decodeXtext(envelopeId) : undefined);
  if (envid && !ids.includes(envid)) ids.push(envid);
  return ids;
}

/** RFC 3461 xtext: `+2B` is `+`. */
function decodeXtext(value: string): string {
  return value.trim().replace(/\+([0-9A-F]{2})/giu, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function summarize(recipients: readonly BounceRecipient[]): string {
  const lines = recipients.map((r) => [`${r.recipient}: ${r.action}`, r.status ? `(${r.status})` : '', r.diagnostic ? `— ${r.diagnostic}` : ''].filter(Boolean).join(' '));
  const text = lines.join('; ');
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}
