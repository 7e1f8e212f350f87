/** The key that makes a channel's message unique within its inbox (`inboxId:externalMessageId`). */
export function messageDedupeKey(inboxId: string, externalMessageId: string): string {
  return `${inboxId}:${externalMessageId}`;
}
