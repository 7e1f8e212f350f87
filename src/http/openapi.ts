import { z } from 'zod';

/** One REST operation as the OpenAPI document describes it; schemas are the ones the route parses with. */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path under /api, e.g. `/conversations/:id`. */
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /**
   * Extra documented outcomes besides 200/400/401, e.g. `{ 403: 'not_permitted: …', 404: 'not
   * found or not allowed' }` (a record the caller may not see answers like a missing one).
   */
  responses?: Record<number, string>;
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

const toSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const ERROR = { $ref: '#/components/schemas/Error' };

function parametersOf(op: ApiOperation): unknown[] {
  const pathParams = [...op.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (!op.query) return pathParams;
  const query = toSchema(op.query);
  const queryParams = Object.entries(query.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: query.required?.includes(name) ?? false, schema }));
  return [...pathParams, ...queryParams];
}

function operationOf(op: ApiOperation) {
  const responses: Record<string, unknown> = {
    '200': { description: 'OK' },
    '400': { description: 'invalid input; `error.details` lists each field', content: { 'application/json': { schema: ERROR } } },
    '401': { description: 'missing, wrong, expired or revoked bearer token', content: { 'application/json': { schema: ERROR } } },
  };
  for (const [status, description] of Object.entries(op.responses ?? {})) {
    responses[status] = Number(status) < 400 ? { description } : { description, content: { 'application/json': { schema: ERROR } } };
  }
  return {
    summary: op.summary,
    tags: [op.tag],
    parameters: parametersOf(op),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body) } } } } : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document from the operations' zod schemas, so it cannot drift from validation. */
export function openApiDocument(operations: readonly ApiOperation[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = `/api${op.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    paths[path] = { ...paths[path], [op.method]: operationOf(op) };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: "a personal API token (acts as its user, within their role and the token's scopes) or the bootstrap ADMIN_TOKEN" } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
