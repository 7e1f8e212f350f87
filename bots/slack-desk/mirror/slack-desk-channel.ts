import type { SlackDeskSettings } from '../../../src/config/desk.schema.js';
import { openDealOf } from '../../../src/services/desk/desk-mirror-card.service.js';
import type { ConversationDoc } from '../../../src/store/conversation.model.js';
import type { Store } from '../../../src/store/store.js';

/**
 * The channel a conversation's thread goes to: the inbox's channel, else the channel of the
 * pipeline of the contact's open deal, else the default channel; undefined when none is set.
 */
export async function slackChannelFor(store: Store, settings: SlackDeskSettings, conversation: Pick<ConversationDoc, 'inboxId' | 'contactId'>): Promise<string | undefined> {
  const byInbox = settings.channelPerInbox[conversation.inboxId];
  if (byInbox) return byInbox;
  if (Object.keys(settings.channelPerPipeline).length) {
    const deal = await openDealOf(store, conversation.contactId);
    const byPipeline = deal ? settings.channelPerPipeline[deal.pipelineId] : undefined;
    if (byPipeline) return byPipeline;
  }
  return settings.defaultChannel;
}
