import { z } from 'zod';

/** Client message ids: chosen by the widget, reused on every re-send of the same message. */
export const ClientMessageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 characters of A-Z a-z 0-9 _ -');

/** Tracking fields are cut to length rather than rejected: a long URL must not block the chat. */
const clipped = (max: number) => z.string().transform((s) => s.slice(0, max));
const optionalText = (max: number) => clipped(max).optional();

export const HelloFrameSchema = z.object({
  type: z.literal('hello'),
  inboxId: z.string().min(1).max(64),
  /** Checked against the server's signature (visitor-token.ts): a bad one is `invalid_visitor_token`. */
  visitorToken: z.string().max(200).optional(),
  /** A signed-in site user (visitor-identity.ts); checked by the server, so any flaw is `identity_not_verified`. */
  identity: z.unknown().optional(),
  /** The browser's language (navigator.language), so the bot can answer in it. */
  locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/).max(35).optional().catch(undefined),
  page: z.object({ url: clipped(2048), referrer: optionalText(2048), title: optionalText(300) }),
  utm: z
    .object({
      source: optionalText(200),
      medium: optionalText(200),
      campaign: optionalText(200),
      term: optionalText(200),
      content: optionalText(200),
    })
    .optional(),
});
export type HelloFrame = z.infer<typeof HelloFrameSchema>;

/** Text length is checked separately against the configured limit, to answer `message_too_long`. */
export const MessageFrameSchema = z.object({
  type: z.literal('message'),
  clientMessageId: ClientMessageIdSchema,
  text: z.string(),
});
export type MessageFrame = z.infer<typeof MessageFrameSchema>;

export const IdentifyFrameSchema = z.object({
  type: z.literal('identify'),
  name: z.string().trim().min(1, 'is required').max(120),
  email: z.string().trim().toLowerCase().pipe(z.email('is not a valid email address')),
});
export type IdentifyFrame = z.infer<typeof IdentifyFrameSchema>;

export const ClientFrameSchema = z.discriminatedUnion('type', [
  HelloFrameSchema,
  MessageFrameSchema,
  IdentifyFrameSchema,
  z.object({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

/** A message as the widget shows it (see PROTOCOL.md). */
export interface WireMessage {
  id: string;
  clientMessageId?: string;
  direction: 'inbound' | 'outbound';
  authorKind: 'contact' | 'agent' | 'bot' | 'system';
  authorName?: string;
  text: string;
  createdAt: string;
}

export const WEBCHAT_ERROR_CODES = [
  'invalid_frame',
  'frame_too_large',
  'message_too_long',
  'hello_required',
  'unknown_inbox',
  'origin_not_allowed',
  'invalid_visitor_token',
  'identity_not_verified',
  'identity_required',
  'rate_limited',
  'internal_error',
] as const;
export type WebchatErrorCode = (typeof WEBCHAT_ERROR_CODES)[number];

export type ServerFrame =
  | {
      type: 'welcome';
      visitorToken: string;
      preChatForm: { enabled: boolean; required: boolean };
      identified: boolean;
      /** The session speaks for a site user the site vouched for (identity verification). */
      verified: boolean;
      greeting: string;
      limits: { maxTextLength: number };
      messages: WireMessage[];
    }
  | { type: 'ack'; clientMessageId: string; message: WireMessage }
  | { type: 'message'; message: WireMessage }
  | { type: 'identified'; name: string; email: string }
  | { type: 'error'; code: WebchatErrorCode; message: string; clientMessageId?: string; retryAfterMs?: number }
  | { type: 'pong' };
