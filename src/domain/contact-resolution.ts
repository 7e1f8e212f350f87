import type { CountryCode } from 'libphonenumber-js';
import type { Sender } from './inbound-message.js';
import { toE164 } from './phone.js';

/** One way of recognising an existing contact, tried in the order `contactLookupOrder` gives. */
export type ContactLookup =
  | { kind: 'identity'; key: string }
  | { kind: 'email'; email: string }
  | { kind: 'phone'; phone: string };

/** The key that makes a per-inbox identity unique across all contacts. */
export function identityKey(inboxId: string, externalId: string): string {
  return `${inboxId}:${externalId}`;
}

/**
 * The rules for matching a sender to a contact: the identity on this inbox first (the same
 * Telegram user, the same widget visitor), then the email address, then the phone number.
 * An invalid phone is not used for matching, so "call me" never merges two people.
 */
export function contactLookupOrder(
  inboxId: string,
  sender: Sender,
  defaultCountry?: CountryCode,
): ContactLookup[] {
  const lookups: ContactLookup[] = [{ kind: 'identity', key: identityKey(inboxId, sender.externalId) }];
  if (sender.email) lookups.push({ kind: 'email', email: sender.email.toLowerCase() });
  const phone = sender.phone ? toE164(sender.phone, defaultCountry) : null;
  if (phone) lookups.push({ kind: 'phone', phone });
  return lookups;
}

/** The display name to store for a new contact: the given name, else the username, else the email. */
export function displayNameFor(sender: Sender): string | undefined {
  return sender.name || sender.username || sender.email || undefined;
}
