import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { holdDeskLease, releaseDeskLease } from './desk/desk-mirror-lease.service.js';

export interface LeasedPollingOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The lease's name, e.g. `poll:telegram:customer`; one holder across all instances. */
  name: string;
  /** This instance's id. */
  owner: string;
  /** How long a lease lasts without renewal; a dead holder's lease is taken over after this. */
  leaseMs?: number;
  /**
   * Starts polling (e.g. grammY's `bot.start()`), answering a promise that settles when the
   * polling loop ends. An end while the lease is held (a 409, a network error) is noticed, and
   * polling starts again at the next renewal.
   */
  startPolling: () => Promise<void>;
  /** Stops polling and resolves when the last batch of updates was handled. */
  stopPolling: () => Promise<void>;
}

export interface LeasedPolling {
  /** True while this instance holds the lease and polls. */
  readonly polling: boolean;
  stop(): Promise<void>;
}

/**
 * Long polling by one instance at a time: platforms such as Telegram answer a second poller with
 * 409 Conflict, and two pollers would split the updates. The lease lives in MongoDB and is
 * renewed a few times per lifetime; an instance that loses it stops polling, one that finds it
 * expired takes over. SDK-agnostic: the caller passes its SDK's start and stop.
 */
export function startLeasedPolling(options: LeasedPollingOptions): LeasedPolling {
  const leaseMs = options.leaseMs ?? 30_000;
  let polling = false;
  let stopped = false;
  /** Settles when the current polling loop has ended (so a new one never overlaps it). */
  let ended: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const tick = async (): Promise<void> => {
    const now = options.clock();
    const held = await holdDeskLease(options.store, options.name, options.owner, new Date(now.getTime() + leaseMs), now).catch((err: unknown) => {
      options.logger.warn({ err, lease: options.name }, 'could not renew the polling lease');
      return false;
    });
    if (stopped) return;
    try {
      if (held && !polling) {
        polling = true;
        options.logger.info({ lease: options.name }, 'polling: this instance holds the lease');
        const loop = options.startPolling();
        ended = loop.then(
          () => undefined,
          (err: unknown) => options.logger.error({ err, lease: options.name }, 'polling ended with an error'),
        ).then(() => {
          if (polling && !stopped) options.logger.warn({ lease: options.name }, 'polling ended while holding the lease; restarting');
          polling = false;
        });
      } else if (!held && polling) {
        polling = false;
        options.logger.warn({ lease: options.name }, 'polling: lease lost, stopping');
        await options.stopPolling();
        await ended;
      }
    } catch (err) {
      options.logger.error({ err, lease: options.name }, 'polling: starting or stopping failed; trying again at the next renewal');
    }
  };

  let inFlight: Promise<void> = Promise.resolve();
  const loop = (): void => {
    inFlight = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, Math.max(200, Math.floor(leaseMs / 3)));
    });
  };
  loop();

  return {
    get polling() {
      return polling;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // A renewal still in flight would otherwise land after the release and keep the lease.
      await inFlight;
      if (polling) {
        polling = false;
        await options.stopPolling();
      }
      await ended;
      await releaseDeskLease(options.store, options.name, options.owner);
    },
  };
}
