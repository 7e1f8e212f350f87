import type { CustomerMessageChange, CustomerMessageView } from '../../src/services/customer-view.service.js';

/**
 * What the widget channel needs from the core, beyond the inbound sink. main.ts implements it
 * with the customer-view services; the channel itself knows nothing about the store.
 */
export interface WebchatBackend {
  history(inboxId: string, visitorId: string): Promise<{ identified: boolean; messages: CustomerMessageView[] }>;
  identify(inboxId: string, visitorId: string, details: { name: string; email: string }): Promise<void>;
  changesSince(inboxIds: string[], since: Date): Promise<CustomerMessageChange[]>;
}
