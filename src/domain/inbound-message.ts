import { z } from 'zod';
import { ChannelKindSchema } from './channel-kind.js';

const shortText = (max: number) => z.string().trim().min(1).max(max);

/** Where a lead came from: the page and campaign tags the first message arrived with. */
export const LeadSourceSchema = z.object({
  url: z.string().max(2048).optional(),
  referrer: z.string().max(2048).optional(),
  title: z.string().max(300).optional(),
  utm: z
    .object({
      source: z.string().max(200).optional(),
      medium: z.string().max(200).optional(),
      campaign: z.string().max(200).optional(),
      term: z.string().max(200).optional(),
      content: z.string().max(200).optional(),
    })
    .optional(),
});
export type LeadSource = z.infer<typeof LeadSourceSchema>;

/** The person who wrote, as the channel knows them. `externalId` is stable per inbox. */
export const SenderSchema = z.object({
  externalId: shortText(256),
  name: z.string().trim().max(200).optional(),
  username: z.string().trim().max(200).optional(),
  email: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  phone: z.string().trim().max(40).optional(),
});
export type Sender = z.infer<typeof SenderSchema>;

export const AttachmentSchema = z.object({
  name: z.string().max(300),
  contentType: z.string().max(200),
  size: z.number().int().nonnegative(),
  url: z.string().max(2048).optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** Largest message body accepted from any channel (characters). */
export const MAX_MESSAGE_TEXT = 20_000;
/** Longest subject line kept (RFC 5322's line limit). */
export const MAX_SUBJECT = 998;

/**
 * One customer message, normalized from any channel. Normalizers produce it; `ingest` consumes it.
 * `externalMessageId` is unique per inbox, so a platform retry of the same message is a no-op.
 */
export const InboundMessageSchema = z
  .object({
    channel: ChannelKindSchema,
    inboxId: shortText(64),
    externalMessageId: shortText(512),
    externalThreadId: z.string().max(512).optional(),
    sender: SenderSchema,
    text: z.string().max(MAX_MESSAGE_TEXT),
    attachments: z.array(AttachmentSchema).max(20).default([]),
    receivedAt: z.coerce.date(),
    source: LeadSourceSchema.optional(),
    /** Set by normalizers for auto-replies, bounces and other machine-sent mail or messages. */
    automated: z.boolean().default(false),
    /** The sender's locale when the channel reports one (BCP 47, e.g. `ko-KR`). */
    locale: z.string().max(35).optional(),
    /** The message's subject line, where the channel has one (email). */
    subject: z.string().max(MAX_SUBJECT).optional(),
    /**
     * External ids of earlier messages on this inbox that this one answers (email's References
     * and In-Reply-To, oldest first): a reply joins the conversation of the message it answers.
     */
    references: z.array(z.string().min(1).max(512)).max(100).default([]),
    /** What the conversation view leaves out: the untrimmed text (quotes, signature) and the original HTML. */
    original: z
      .object({
        fullText: z.string().max(MAX_MESSAGE_TEXT).optional(),
        /** Where the original HTML body is stored (an attachment URL, see src/domain/attachment-ref.ts). */
        htmlUrl: z.string().max(2048).optional(),
      })
      .optional(),
    raw: z.unknown().optional(),
  })
  .refine((m) => m.text.trim().length > 0 || m.attachments.length > 0, {
    message: 'a message needs text or at least one attachment',
    path: ['text'],
  });
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
export type InboundMessageInput = z.input<typeof InboundMessageSchema>;
