import type { CustomerMessageView } from '../../src/services/customer-view.service.js';
import type { WireMessage } from './webchat.frames.js';
import { clientMessageIdOf } from './webchat.normalize.js';

/** A stored message as the widget receives it. */
export function toWireMessage(view: CustomerMessageView): WireMessage {
  const clientMessageId = view.direction === 'inbound' ? clientMessageIdOf(view.externalMessageId) : undefined;
  return {
    id: view.id,
    ...(clientMessageId ? { clientMessageId } : {}),
    direction: view.direction,
    authorKind: view.authorKind,
    ...(view.authorName ? { authorName: view.authorName } : {}),
    text: view.text,
    createdAt: view.createdAt.toISOString(),
  };
}
