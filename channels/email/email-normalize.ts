import { z } from 'zod';
import { MAX_MESSAGE_TEXT, MAX_SUBJECT, type Attachment, type InboundMessageInput } from '../../src/domain/inbound-message.js';

const EmailSchema = z.email();
const MAX_SENDER_ID = 256;
const MAX_NAME = 200;
import type { ParsedEmail } from './email-parse.js';

/** Where an email came in and what was kept of it besides the text. */
export interface EmailContext {
  inboxId: string;
  /** The inbox's own address. */
  ownAddress: string;
  /** When the server received it (INTERNALDATE). */
  receivedAt: Date;
  /** The stored files (attachments and inline images), in the message's order. */
  attachments: Attachment[];
  /** Files beyond what one message holds, left in the mailbox. */
  filesLeftOut: number;
  /** Where the original HTML body is stored. */
  htmlUrl?: string;
  /** Set when the message was too large to download: its size in bytes. */
  tooLargeBytes?: number;
}

/**
 * The customer behind an email. Web forms send from a no-reply address (or from the mailbox's
 * own) with the visitor in Reply-To: then the visitor is the sender, and the mail is not
 * machine-sent. Undefined when there is nobody to answer: mail from our own address.
 */
export function emailSender(parsed: ParsedEmail, ownAddress: string): { address: string; name?: string; automated: boolean } | undefined {
  const visitor = parsed.replyTo && parsed.replyTo.address !== ownAddress ? parsed.replyTo : undefined;
  // Contact-form plugins send from a no-reply address or from the mailbox's own address.
  const formMail = visitor !== undefined && (parsed.automated?.kind === 'no-reply' || parsed.from?.address === ownAddress);
  const who = formMail ? visitor : parsed.from;
  if (!who || who.address === ownAddress) return undefined;
  return { address: who.address, ...(who.name ? { name: who.name } : {}), automated: parsed.automated !== undefined && !formMail };
}

/** One parsed email as the core's inbound message. */
export function emailToInbound(parsed: ParsedEmail, context: EmailContext): InboundMessageInput {
  const sender = emailSender(parsed, context.ownAddress);
  const address = sender?.address ?? 'unknown-sender@switchboard.invalid';
  return {
    channel: 'email',
    inboxId: context.inboxId,
    externalMessageId: parsed.messageId,
    sender: senderFields(address, sender?.name),
    text: visibleText(parsed, context),
    attachments: context.attachments,
    receivedAt: context.receivedAt,
    automated: sender ? sender.automated : true,
    ...(parsed.subject ? { subject: parsed.subject.slice(0, MAX_SUBJECT) } : {}),
    references: parsed.references.slice(-100),
    ...original(parsed, context),
  };
}

/**
 * The sender as the core accepts it. Real mail carries addresses the strict check refuses
 * (`taro..yamada@docomo.ne.jp`, `김민지@example.kr`): they still identify the sender, they are
 * only not recorded as the contact's email — a message is never refused for its From line.
 */
function senderFields(address: string, name: string | undefined): InboundMessageInput['sender'] {
  const id = address.slice(0, MAX_SENDER_ID);
  const displayName = name?.trim().slice(0, MAX_NAME);
  return { externalId: id, ...(EmailSchema.safeParse(address).success ? { email: address } : {}), ...(displayName ? { name: displayName } : {}) };
}

function visibleText(parsed: ParsedEmail, context: EmailContext): string {
  const notes = [
    ...(context.tooLargeBytes ? [`[This email is ${Math.round(context.tooLargeBytes / 1_048_576)} MB, more than Switchboard downloads; read it in the mailbox.]`] : []),
    ...(context.filesLeftOut > 0 ? [`[${context.filesLeftOut} more attachment(s) are in the mailbox.]`] : []),
  ];
  const body = parsed.text.trim() || (context.attachments.length > 0 ? '' : parsed.subject.trim() ? `(no text; subject: ${parsed.subject.trim()})` : '(empty email)');
  return [body, ...notes].filter(Boolean).join('\n\n').slice(0, MAX_MESSAGE_TEXT);
}

function original(parsed: ParsedEmail, context: EmailContext): Pick<InboundMessageInput, 'original'> {
  const fullText = parsed.fullText !== parsed.text ? parsed.fullText.slice(0, MAX_MESSAGE_TEXT) : undefined;
  if (!fullText && !context.htmlUrl) return {};
  return { original: { ...(fullText ? { fullText } : {}), ...(context.htmlUrl ? { htmlUrl: context.htmlUrl } : {}) } };
}
