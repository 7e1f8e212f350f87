import { z } from 'zod';

/** The customer channels Switchboard can receive from and reply to. */
export const ChannelKindSchema = z.enum(['webchat', 'telegram', 'discord', 'email', 'slack']);
export type ChannelKind = z.infer<typeof ChannelKindSchema>;
