import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_OPERATIONS } from '../../src/http/api-catalog.js';
import type { Switchboard } from '../../src/main.js';
import { startTestApp, uniqueDbName } from '../support/test-app.js';

let app: Switchboard;

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route the express app serves, as `METHOD /path` (paths relative to their router). */
function mountedRoutes(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`);
    return layer.handle?.stack ? mountedRoutes(layer.handle.stack) : [];
  });
}

const PUBLIC = /^(GET|POST|PUT|PATCH|DELETE) \/(health|ready|webchat\/|calendar\/|api\/openapi\.json)/;

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('openapi') });
});
afterAll(async () => {
  await app.store.connection.dropDatabase();
  await app.stop();
});

describe('OpenAPI document', () => {
  it('is served without a token and describes parameters and bodies from the zod schemas', async () => {
    const res = await fetch(`${app.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const list = doc.paths['/api/conversations'].get;
    expect(list.parameters.find((p: { name: string }) => p.name === 'status').schema.enum).toEqual(['open', 'pending', 'snoozed', 'resolved']);
    const reply = doc.paths['/api/conversations/{id}/messages'].post;
    expect(reply.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(reply.requestBody.content['application/json'].schema.required).toEqual(['text']);
  });

  it('lists every route the API serves', () => {
    const app$ = app.server.listeners('request')[0] as unknown as { router: { stack: Layer[] } };
    const served = mountedRoutes(app$.router.stack).filter((r) => !PUBLIC.test(r) && !r.endsWith(' /'));
    const documented = new Set(API_OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`));
    expect(served).toContain('POST /conversations/:id/messages');
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });
});
