/** The REST path a stored attachment is downloaded from. */
export function attachmentUrl(attachmentId: string): string {
  return `/api/attachments/${attachmentId}`;
}

/** The stored attachment's id behind a message attachment's url, or undefined for other urls. */
export function attachmentIdOf(url: string | undefined): string | undefined {
  return /^\/api\/attachments\/([0-9a-f]{24})$/i.exec(url ?? '')?.[1];
}

/** The name an attachment gets when its download failed: people see the file is missing. */
export function unavailableAttachmentName(name: string): string {
  return `${name} (could not be downloaded)`.slice(0, 300);
}
