import { Router } from 'express';
import type { AuditEntryDoc } from '../store/audit-entry.model.js';
import { listAudit } from '../services/audit/audit-log.service.js';
import type { Store } from '../store/store.js';
import { requestActor } from './request-actor.js';

function auditJson(e: AuditEntryDoc) {
  return {
    id: String(e._id),
    at: e.at,
    actor: { userId: e.actor.userId ? String(e.actor.userId) : null, name: e.actor.name, role: e.actor.role, via: e.actor.via },
    action: e.action,
    target: e.target,
    changes: e.changes ?? null,
    data: e.data ?? null,
  };
}

/** `GET /audit`: who changed what and when, newest first (admins: audit.read). */
export function auditRoutes(deps: { store: Store }): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const page = await listAudit(deps.store, requestActor(res), req.query);
    res.json({ data: page.data.map(auditJson), next: page.next ?? null });
  });
  return router;
}
