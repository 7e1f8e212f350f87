import { z } from 'zod';

const SenderSchema = z.object({ id: z.number().int(), is_bot: z.boolean(), username: z.string().optional(), first_name: z.string().optional() });
const EntitySchema = z.object({ type: z.string(), offset: z.number().int(), length: z.number().int() });

/** The parts of a Telegram message the desk reads; anything else in it is ignored. */
export const DeskMessageSchema = z.object({
  message_id: z.number().int(),
  chat: z.object({ id: z.number().int(), type: z.string() }),
  from: SenderSchema.optional(),
  sender_chat: z.object({ id: z.number().int() }).optional(),
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(EntitySchema).optional(),
  photo: z.array(z.object({ file_id: z.string(), file_size: z.number().optional() })).optional(),
  document: z.object({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional(), file_size: z.number().optional() }).optional(),
});
export type DeskMessage = z.infer<typeof DeskMessageSchema>;

/** A press on an inline button. */
export const DeskCallbackSchema = z.object({
  id: z.string().min(1),
  from: SenderSchema,
  data: z.string().optional(),
  message: z.object({ message_id: z.number().int(), chat: z.object({ id: z.number().int() }), message_thread_id: z.number().int().optional() }).optional(),
});
export type DeskCallback = z.infer<typeof DeskCallbackSchema>;

/** What a person can send that carries content; anything else (topic created, joins, pins…) is a service message. */
export const CONTENT_KEYS = ['text', 'caption', 'photo', 'document', 'sticker', 'voice', 'video', 'video_note', 'audio', 'animation', 'contact', 'location', 'poll'] as const;
