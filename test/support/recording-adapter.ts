import type { ChannelAdapter, InboundSink, OutboundMessage, SendResult } from '../../src/domain/channel-adapter.js';
import type { ChannelKind } from '../../src/domain/channel-kind.js';

type Behaviour = (message: OutboundMessage, attempt: number) => Promise<SendResult | void> | SendResult | void;

/**
 * A channel adapter that records what it was asked to send and lets a test script each
 * attempt (throw a ChannelError, hang, succeed). Its "platform" de-duplicates by message id,
 * the way a customer would notice a double.
 */
export class RecordingAdapter implements ChannelAdapter {
  readonly attempts: OutboundMessage[] = [];
  readonly delivered = new Map<string, OutboundMessage>();
  sink: InboundSink | undefined;
  private behaviour: Behaviour = () => undefined;

  constructor(readonly channel: ChannelKind = 'telegram') {}

  /** Sets what the next `send` calls do; the default succeeds. */
  behave(behaviour: Behaviour): void {
    this.behaviour = behaviour;
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
  }

  async stop(): Promise<void> {}

  async send(message: OutboundMessage): Promise<SendResult> {
    this.attempts.push(message);
    const attempt = this.attempts.filter((m) => m.messageId === message.messageId).length;
    const result = await this.behaviour(message, attempt);
    this.delivered.set(message.messageId, message);
    return result ?? { externalMessageId: `ext-${message.messageId}`, sentAt: new Date() };
  }
}
