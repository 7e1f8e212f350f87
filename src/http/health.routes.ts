import { Router } from 'express';
import type { Store } from '../store/store.js';

export interface ChannelStatus {
  inboxId: string;
  channel: string;
  /** `degraded`: configured and started, but failing right now (the reason says how). */
  state: 'on' | 'off' | 'degraded';
  reason?: string;
}

/** A manager desk (Slack, Telegram) as /ready shows it, with the reason when it is off or limited. */
export interface DeskStatus {
  desk: 'slack' | 'telegram';
  state: 'on' | 'off';
  reason?: string;
}

/**
 * `/health`: the process is alive. `/ready`: it can serve (database answers, jobs running);
 * load balancers send traffic only when ready.
 */
export function healthRoutes(store: Store, channels: () => ChannelStatus[], jobsRunning: () => boolean, desks: () => DeskStatus[] = () => []): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    let database = false;
    try {
      await store.connection.db?.admin().command({ ping: 1 });
      database = true;
    } catch {
      database = false;
    }
    const jobs = jobsRunning();
    const ready = database && jobs;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', database, jobs, channels: channels(), desks: desks() });
  });
  return router;
}
