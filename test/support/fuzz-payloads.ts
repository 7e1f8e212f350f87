/**
 * Deterministic hostile inputs for the fuzz pass (test/integration/fuzz-endpoints.test.ts): a
 * seeded PRNG, random JSON, and fixed lists of the nasty cases (operator objects, prototype
 * keys, deep nesting, huge strings, wrong content types, broken encodings, odd path ids).
 */

/** mulberry32: small, fast and the same sequence for the same seed on every platform. */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Strings that have broken parsers, regexes, loggers or queries somewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(50),
  '\u202e\u0301\u200b',
  '$where',
  '$gt',
  '{"$gt":""}',
  "'; db.dropDatabase(); '",
  'this.password.match(/.*/)',
  'function () { while (true) {} }',
  '.*',
  '(a+)+$',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  '\r\nSet-Cookie: x=1',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '0x1F',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  '2026-13-45T25:61:61Z',
  'x'.repeat(5_000),
  '__proto__',
  'constructor',
  '#1',
  'sbt_000000000000000000000000_' + 'A'.repeat(43),
];

/** Object keys that attack merging, Mongo filters or dotted paths. */
export const HOSTILE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', '$gt', '$ne', '$where', '$regex', '$expr', '$set', 'a.b', '$', '', ' ', '\u0000', '_id', 'toString', 'hasOwnProperty'];

const NUMBERS: readonly number[] = [0, -0, -1, 1, 0.5, 1e308, -1e308, 2 ** 53 + 1, Number.MIN_VALUE, 4_294_967_296, 1_000_000_000_000];

/**
 * A random JSON value. Object keys are hostile ones or random "x…" keys (never a real field
 * name), so strict body schemas cannot accept it by accident and nothing may be written.
 */
export function randomJson(rng: Prng, depth = 0): unknown {
  const leaf = depth >= 4 || rng.chance(0.35);
  if (leaf) {
    switch (rng.int(5)) {
      case 0:
        return null;
      case 1:
        return rng.chance(0.5);
      case 2:
        return rng.chance(0.5) ? rng.pick(NUMBERS) : Math.floor(rng.next() * 2_000_000) - 1_000_000;
      case 3:
        return rng.pick(HOSTILE_STRINGS);
      default:
        return randomWord(rng);
    }
  }
  if (rng.chance(0.4)) return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth + 1));
  return randomObject(rng, depth, rng.int(4));
}

/** A non-empty object of random/hostile keys: `{}` would be a valid body for some routes. */
export function randomObject(rng: Prng, depth = 0, extraKeys = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i <= extraKeys; i += 1) {
    const key = rng.chance(0.5) ? rng.pick(HOSTILE_KEYS) : `x${randomWord(rng)}`;
    // defineProperty so "__proto__" becomes an own key that JSON.stringify writes out.
    Object.defineProperty(out, key, { value: randomJson(rng, depth + 1), enumerable: true, configurable: true, writable: true });
  }
  if (Object.keys(out).length === 0) out[`x${randomWord(rng)}`] = null;
  return out;
}

function randomWord(rng: Prng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789_-$.';
  return Array.from({ length: 1 + rng.int(10) }, () => alphabet[rng.int(alphabet.length)]).join('');
}

/**
 * Operator objects and prototype-pollution payloads, each wrapped around real field names of
 * the API (name, status, text, ownerId…) so a route that passed them through to a query or an
 * update would act on them.
 */
export function operatorBodies(): unknown[] {
  const ops: unknown[] = [
    { $gt: '' },
    { $ne: null },
    { $where: 'sleep(1000) || true' },
    { $regex: '.*' },
    { $in: [null, '', 0] },
    { $exists: true },
    { $expr: { $eq: [1, 1] } },
  ];
  const fields = ['name', 'title', 'text', 'status', 'ownerId', 'assigneeId', 'userId', 'duplicateId', 'contactId', 'version', 'available', 'email', '_id', 'filter', 'scopes', 'stageId'];
  const bodies: unknown[] = [];
  for (const [i, field] of fields.entries()) bodies.push({ [field]: ops[i % ops.length] });
  bodies.push(...ops);
  bodies.push({ status: { $ne: null } }, { $set: { role: 'admin' } }, { 'a.b': 1, $inc: { version: 1 } }, { filter: { $where: 'true' }, name: { $gt: '' } });
  bodies.push(JSON.parse('{"__proto__":{"isAdmin":true,"role":"admin"}}'), { constructor: { prototype: { polluted: true } } }, JSON.parse('{"name":"x","__proto__":{"toString":1}}'));
  return bodies;
}

/** Nested arrays or objects `levels` deep, as raw JSON text (JSON.stringify would recurse). */
export function deepNesting(levels: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** A raw request body with the headers it goes out with. */
export interface RawBody {
  label: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Bodies that are broken below the JSON level: syntax, encodings, content types. */
export function rawBodies(): RawBody[] {
  const json = 'application/json';
  return [
    { label: 'no body, no content type' },
    { label: 'empty JSON body', body: '', contentType: json },
    { label: 'truncated JSON', body: '{"name": "x"', contentType: json },
    { label: 'trailing garbage', body: '{"a":1} {"b":2}', contentType: json },
    { label: 'bare string', body: '"hello"', contentType: json },
    { label: 'bare number', body: '1e999', contentType: json },
    { label: 'JSON null', body: 'null', contentType: json },
    { label: 'JSON array', body: '[1,2,3]', contentType: json },
    { label: 'single quotes', body: "{'a':1}", contentType: json },
    { label: 'NaN literal', body: '{"version": NaN}', contentType: json },
    { label: 'duplicate keys', body: '{"version":1,"version":{"$gt":0},"text":"a","text":{"$ne":null}}', contentType: json },
    { label: 'NUL bytes', body: '{"text":"a\u0000b","\u0000":"\u0000"}', contentType: json },
    { label: 'raw NUL byte', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x00, 0x7d]), contentType: json },
    { label: 'invalid UTF-8', body: Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80]), Buffer.from('"}')]), contentType: json },
    { label: 'UTF-8 BOM', body: '\ufeff{"x1":1}', contentType: json },
    { label: 'lone surrogate escape', body: '{"text":"\\ud800","name":"\\udfff"}', contentType: json },
    { label: 'deep arrays (10,000 levels)', body: deepNesting(10_000, 'array'), contentType: json },
    { label: 'deep objects (10,000 levels)', body: deepNesting(10_000, 'object'), contentType: json },
    { label: 'deep arrays (1,000 levels)', body: deepNesting(1_000, 'array'), contentType: json },
    { label: 'deep object under a real field', body: `{"filter":${deepNesting(3_000, 'object')},"name":${deepNesting(3_000, 'array')}}`, contentType: json },
    { label: '60 KB string in a real field', body: JSON.stringify({ text: 'x'.repeat(60_000) }), contentType: json },
    { label: 'many keys', body: JSON.stringify(Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, i]))), contentType: json },
    { label: 'text/plain JSON', body: '{"text":"hi"}', contentType: 'text/plain' },
    { label: 'form-urlencoded', body: 'text=hi&status[$ne]=x&__proto__[admin]=1&constructor[prototype][x]=1', contentType: 'application/x-www-form-urlencoded' },
    { label: 'multipart', body: '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi\r\n--b--\r\n', contentType: 'multipart/form-data; boundary=b' },
    { label: 'broken multipart', body: '--b\r\nContent-Disposition: form-data; name=', contentType: 'multipart/form-data' },
    { label: 'xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', contentType: 'application/xml' },
    { label: 'JSON with charset utf-16', body: '{"x1":1}', contentType: 'application/json; charset=utf-16' },
    { label: 'JSON with unknown charset', body: '{"x1":1}', contentType: 'application/json; charset=x-klingon' },
    { label: 'JSON with charset koi8-r', body: Buffer.from([0x7b, 0x22, 0xc1, 0x22, 0x3a, 0x31, 0x7d]), contentType: 'application/json; charset=koi8-r' },
    { label: '+json suffix type', body: '{"x1":1}', contentType: 'application/vnd.api+json' },
    { label: 'garbage content type', body: '{"x1":1}', contentType: ';;;/=' },
    { label: 'gzip header, plain body', body: '{"x1":1}', contentType: json, headers: { 'content-encoding': 'gzip' } },
    { label: 'deflate header, garbage body', body: Buffer.from([1, 2, 3, 4, 5]), contentType: json, headers: { 'content-encoding': 'deflate' } },
    { label: 'unknown content encoding', body: '{"x1":1}', contentType: json, headers: { 'content-encoding': 'x-snappy' } },
  ];
}

/** Values for `:id`-like path segments, already URL-encoded as they go on the wire. */
export const HOSTILE_PATH_IDS: readonly string[] = [
  '%00',
  '..%2f..',
  '..%2F..%2Fhealth',
  '%2e%2e',
  '%',
  '%E0%A4%A',
  '%ff',
  '%C0%AE',
  '%24where',
  encodeURIComponent('{"$gt":""}'),
  '__proto__',
  'constructor',
  'null',
  '-1',
  '1e309',
  'NaN',
  '0',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  '65a1b2c3d4e5f6a7b8c9d0e1',
  'zzzzzzzzzzzzzzzzzzzzzzzz',
  '65a1b2c3d4e5f6a7b8c9d0e', // 23 hex digits
  'x'.repeat(10_000),
  encodeURIComponent('😀'),
  '%0d%0aSet-Cookie:%20x=1',
  'a;b=c',
];

/** Query strings for list endpoints: operators, prototype keys, arrays, absurd numbers. */
export const HOSTILE_QUERIES: readonly string[] = [
  '?status[$ne]=x',
  '?q[$regex]=.*',
  '?q=.*&status=%00',
  '?q=(a%2B)%2B%24',
  '?__proto__[admin]=1',
  '?constructor[prototype][x]=1',
  '?limit=-1',
  '?limit=1e999',
  '?limit=NaN&offset=-5',
  '?limit=99999999999999999999999',
  '?cursor=%ff%fe',
  '?cursor=' + 'A'.repeat(5_000),
  '?cursor=eyIkZ3QiOiIifQ',
  '?sort=__proto__',
  '?sort=-$where',
  '?status=open&status=closed',
  '?a=1&a=2&a=3&ownerId=x&ownerId[$ne]=1',
  '?ownerId=%7B%22%24ne%22%3Anull%7D',
  '?assigneeId[$exists]=false',
  '?noContactSinceDays=1e400',
  '?since=2026-13-45&until=not-a-date',
  '?' + Array.from({ length: 1_200 }, (_, i) => `k${i}=${i}`).join('&'),
  '?%=%&%%=1',
  '?x=%E0%A4%A',
  '?q=' + 'a'.repeat(12_000),
];

/** Visitor tokens a widget never got from this server. */
export const FORGED_VISITOR_TOKENS: readonly string[] = ['A'.repeat(32), 'a'.repeat(64), '0'.repeat(40), 'x'.repeat(31), 'x'.repeat(65), 'not a token', '', '../../../../etc', 'A'.repeat(32) + '.sig'];
