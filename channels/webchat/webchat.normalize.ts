import type { InboundMessageInput } from '../../src/domain/inbound-message.js';
import type { HelloFrame, MessageFrame } from './webchat.frames.js';

/** What the socket knows about the visitor once `hello` was accepted. */
export interface VisitorSession {
  inboxId: string;
  visitorId: string;
  hello: HelloFrame;
  /** A verified site user's name and email, put on the contact before their first message is stored. */
  pendingProfile?: { name: string; email: string };
}

/** Inbound ids are scoped by visitor, so two visitors' client ids can never collide. */
export function webchatExternalMessageId(visitorId: string, clientMessageId: string): string {
  return `${visitorId}:${clientMessageId}`;
}

/** The widget's client message id back from an inbound message's external id. */
export function clientMessageIdOf(externalMessageId: string | undefined): string | undefined {
  if (!externalMessageId) return undefined;
  const at = externalMessageId.lastIndexOf(':');
  return at >= 0 ? externalMessageId.slice(at + 1) : undefined;
}

/**
 * Pure: a visitor's `message` frame → InboundMessage. The pre-chat email is not put on the
 * sender: it is unverified, and matching contacts by it would let anyone read another
 * person's conversation by typing their address.
 */
export function normalizeWebchatMessage(session: VisitorSession, frame: MessageFrame, receivedAt: Date): InboundMessageInput {
  const { page, utm, locale } = session.hello;
  return {
    channel: 'webchat',
    inboxId: session.inboxId,
    externalMessageId: webchatExternalMessageId(session.visitorId, frame.clientMessageId),
    externalThreadId: session.visitorId,
    sender: { externalId: session.visitorId },
    text: frame.text,
    attachments: [],
    receivedAt,
    ...(locale ? { locale } : {}),
    source: {
      url: page.url,
      ...(page.referrer ? { referrer: page.referrer } : {}),
      ...(page.title ? { title: page.title } : {}),
      ...(utm ? { utm } : {}),
    },
  };
}
