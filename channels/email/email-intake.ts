import type { Logger } from 'pino';
import { attachmentIdOf, attachmentUrl } from '../../src/domain/attachment-ref.js';
import type { IngestAck, InboundSink } from '../../src/domain/channel-adapter.js';
import type { Clock } from '../../src/domain/clock.js';
import type { Attachment } from '../../src/domain/inbound-message.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { clearContactUnreachable } from '../../src/services/mark-contact-unreachable.service.js';
import { messageDedupeKey } from '../../src/services/message-dedupe-key.js';
import { recordBounce } from '../../src/services/record-bounce.service.js';
import { deleteAttachment, saveAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
import { ourMessageIdIn } from './email-compose.js';
import type { FetchedMail } from './email-fetch.js';
import { emailSender, emailToInbound } from './email-normalize.js';
import { parseEmail, type ParsedEmail } from './email-parse.js';

/** The most files one message keeps (the core's limit); the rest stay in the mailbox. */
const MAX_FILES = 20;

export interface EmailIntakeDeps {
  inboxId: string;
  /** The inbox's own address: mail from it is our own and never answered. */
  address: string;
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  sink: () => InboundSink | undefined;
}

/**
 * Stores one fetched email: a bounce of one of our replies marks that reply failed; anything
 * else becomes a customer message with its files and original HTML stored. A message already
 * stored (a re-read after a restart or a renumbered mailbox) is recognised by its Message-ID
 * before anything is downloaded or saved.
 */
export async function storeFetchedMail(deps: EmailIntakeDeps, mail: FetchedMail): Promise<void> {
  const parsed = await parseEmail(mail.source);
  const log = deps.logger.child({ uid: mail.uid, messageId: parsed.messageId });
  for (const problem of parsed.problems) log.warn({ problem }, 'email parsed with problems');
  if (parsed.automated?.kind === 'bounce' && (await applyBounce(deps, parsed))) return log.info('bounce applied to the reply it reports on');
  if (parsed.from?.address === deps.address && !emailSender(parsed, deps.address)) return log.info('mail from the inbox\'s own address ignored (a copy of our own, or a loop)');
  const sink = deps.sink();
  if (!sink) throw new Error('the email channel is not started');
  // Ingest recognises a message read again; this check only saves storing its files twice.
  const dedupeKey = messageDedupeKey(deps.inboxId, parsed.messageId);
  const hasFiles = parsed.files.length > 0 || parsed.html !== undefined;
  if (hasFiles && (await deps.store.messages.exists({ dedupeKey }))) return;
  const stored = await storeFiles(deps.store, parsed);
  const message = emailToInbound(parsed, { inboxId: deps.inboxId, ownAddress: deps.address, receivedAt: mail.receivedAt, ...stored, ...(mail.headersOnly ? { tooLargeBytes: mail.size } : {}) });
  let ack: IngestAck;
  try {
    ack = await sink(message);
  } catch (err) {
    // Ingest may have stored the message before failing (numbering, events): then the files are its.
    if (!(await deps.store.messages.exists({ dedupeKey }).catch(() => true))) await dropFiles(deps.store, stored);
    throw err;
  }
  if (ack.duplicate) await dropFiles(deps.store, stored);
  else await clearContactUnreachable(deps.store, ack.contactId, deps.inboxId);
}

/**
 * A delivery report about one of our replies. Standard reports (RFC 3464) say which message and
 * whether it failed; plain-text ones from older servers are taken as failures of the reply they
 * name in their headers or quote in their text. A success notice changes nothing.
 */
async function applyBounce(deps: EmailIntakeDeps, parsed: ParsedEmail): Promise<boolean> {
  const report = parsed.bounce;
  const externalIds = report ? report.originalMessageIds : [...parsed.references, ...quotedIds(parsed.fullText)];
  const messageIds = externalIds.flatMap((id) => ourMessageIdIn(id) ?? []);
  const delayed = report?.recipients.some((r) => r.action === 'delayed') ?? false;
  if (report && !report.permanent && !delayed) return report.recipients.length > 0;
  const reason = report?.summary ?? firstLines(parsed.fullText);
  const failedRecipients = report?.recipients.filter((r) => r.action === 'failed').map((r) => r.recipient) ?? [];
  return recordBounce(deps, { inboxId: deps.inboxId, originalExternalIds: externalIds, messageIds, permanent: report?.permanent ?? true, reason, failedRecipients });
}

/** Message-IDs of our replies quoted in a plain-text bounce. */
function quotedIds(text: string): string[] {
  return [...text.matchAll(/<?(sb\.[0-9a-f]{24}@[^\s>]+)>?/gi)].map((m) => m[1] ?? '').filter(Boolean);
}

function firstLines(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' ').slice(0, 300) || 'the mail server returned the reply';
}

interface StoredFiles {
  attachments: Attachment[];
  filesLeftOut: number;
  htmlUrl?: string;
}

async function storeFiles(store: Store, parsed: ParsedEmail): Promise<StoredFiles> {
  const kept = parsed.files.slice(0, MAX_FILES);
  const attachments: Attachment[] = [];
  for (const file of kept) {
    const id = await saveAttachment(store, { name: file.name, contentType: file.contentType, bytes: file.content });
    attachments.push({ name: file.name, contentType: file.contentType, size: file.size, url: attachmentUrl(id) });
  }
  const htmlId = parsed.html ? await saveAttachment(store, { name: 'original.html', contentType: 'text/html; charset=utf-8', bytes: Buffer.from(parsed.html, 'utf8') }) : undefined;
  return { attachments, filesLeftOut: parsed.files.length - kept.length, ...(htmlId ? { htmlUrl: attachmentUrl(htmlId) } : {}) };
}

async function dropFiles(store: Store, stored: StoredFiles): Promise<void> {
  for (const url of [...stored.attachments.map((a) => a.url), stored.htmlUrl]) {
    const id = attachmentIdOf(url);
    if (id) await deleteAttachment(store, id).catch(() => undefined);
  }
}
