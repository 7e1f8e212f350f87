import type { Logger } from 'pino';
import { attachmentIdOf, attachmentUrl } from '../../src/domain/attachment-ref.js';
import type { InboundSink } from '../../src/domain/channel-adapter.js';
import type { Clock } from '../../src/domain/clock.js';
import type { Attachment } from '../../src/domain/inbound-message.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { clearContactUnreachable } from '../../src/services/mark-contact-unreachable.service.js';
import { messageDedupeKey } from '../../src/services/message-dedupe-key.js';
import { recordBounce } from '../../src/services/record-bounce.service.js';
import { deleteAttachment, saveAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
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
  if (parsed.bounce && (await applyBounce(deps, parsed))) return log.info('bounce applied to the reply it reports on');
  if (parsed.from?.address === deps.address && !emailSender(parsed, deps.address)) return log.info('mail from the inbox\'s own address ignored (a copy of our own, or a loop)');
  const sink = deps.sink();
  if (!sink) throw new Error('the email channel is not started');
  // Ingest recognises a message read again; this check only saves storing its files twice.
  const hasFiles = parsed.files.length > 0 || parsed.html !== undefined;
  if (hasFiles && (await deps.store.messages.exists({ dedupeKey: messageDedupeKey(deps.inboxId, parsed.messageId) }))) return;
  const stored = await storeFiles(deps.store, parsed);
  try {
    const message = emailToInbound(parsed, { inboxId: deps.inboxId, ownAddress: deps.address, receivedAt: mail.receivedAt, ...stored, ...(mail.headersOnly ? { tooLargeBytes: mail.size } : {}) });
    const ack = await sink(message);
    if (ack.duplicate) await dropFiles(deps.store, stored);
    else await clearContactUnreachable(deps.store, ack.contactId, deps.inboxId);
  } catch (err) {
    await dropFiles(deps.store, stored);
    throw err;
  }
}

async function applyBounce(deps: EmailIntakeDeps, parsed: ParsedEmail): Promise<boolean> {
  const bounce = parsed.bounce;
  if (!bounce) return false;
  return recordBounce(deps, { inboxId: deps.inboxId, originalExternalIds: bounce.originalMessageIds, permanent: bounce.permanent, reason: bounce.summary });
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
