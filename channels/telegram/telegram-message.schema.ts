import { z } from 'zod';

const FileFields = {
  file_id: z.string().min(1).max(512),
  file_size: z.number().int().nonnegative().optional(),
};

const PhotoSizeSchema = z.object({ ...FileFields, width: z.number().int().nonnegative(), height: z.number().int().nonnegative() });
const NamedFileSchema = z.object({ ...FileFields, file_name: z.string().max(300).optional(), mime_type: z.string().max(200).optional() });

export const TelegramUserSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean().default(false),
  first_name: z.string().max(256).default(''),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  language_code: z.string().max(35).optional(),
});

const LocationSchema = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });

/**
 * The fields of a Telegram `Message` Switchboard reads (https://core.telegram.org/bots/api#message);
 * anything else is ignored. Every content kind is optional: one message carries one of them.
 */
export const TelegramMessageSchema = z.object({
  message_id: z.number().int().nonnegative(),
  date: z.number().int().nonnegative(),
  chat: z.object({ id: z.number().int(), type: z.enum(['private', 'group', 'supergroup', 'channel']) }),
  from: TelegramUserSchema.optional(),
  text: z.string().max(10_000).optional(),
  caption: z.string().max(10_000).optional(),
  photo: z.array(PhotoSizeSchema).min(1, 'a photo needs at least one size').optional(),
  document: NamedFileSchema.optional(),
  animation: NamedFileSchema.optional(),
  video: NamedFileSchema.optional(),
  audio: NamedFileSchema.extend({ title: z.string().max(300).optional() }).optional(),
  voice: NamedFileSchema.optional(),
  video_note: z.object(FileFields).optional(),
  sticker: z.object({ ...FileFields, emoji: z.string().max(32).optional() }).optional(),
  contact: z
    .object({
      phone_number: z.string().max(40),
      first_name: z.string().max(256).default(''),
      last_name: z.string().max(256).optional(),
      user_id: z.number().int().optional(),
    })
    .optional(),
  location: LocationSchema.optional(),
  venue: z.object({ location: LocationSchema, title: z.string().max(300), address: z.string().max(500) }).optional(),
  poll: z.object({ question: z.string().max(300) }).optional(),
  dice: z.object({ emoji: z.string().max(16), value: z.number() }).optional(),
});
export type TelegramMessage = z.infer<typeof TelegramMessageSchema>;
