import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';
/** 32 random bytes in base64url: the shape of both the random part and the signature. */
const PART = /^[A-Za-z0-9_-]{43}$/;

/** What checking a presented visitor token found. */
export type VisitorTokenCheck =
  | { ok: true; visitorId: string; token: string }
  /** Malformed, truncated, tampered with, or signed with another secret. */
  | { ok: false; reason: 'invalid' }
  /**
   * An unsigned token issued before tokens were signed: its visitor id is what it always was, and
   * `upgraded` is the same identity as a signed token. The caller decides whether to accept it.
   */
  | { ok: false; reason: 'legacy'; visitorId: string; upgraded: string };

/**
 * Issues and checks widget visitor tokens: `v1.<random>.<HMAC-SHA256(secret, "v1." + random)>`,
 * both parts base64url. Only this server can issue one, so a visitor id can only be reached by
 * whoever holds the token the server gave out for it.
 */
export class VisitorTokens {
  private readonly secret: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('the widget secret must be at least 16 characters (WIDGET_SECRET)');
    this.secret = Buffer.from(secret, 'utf8');
  }

  /** A new token for a new visitor. */
  issue(): string {
    return this.sign(randomBytes(32).toString('base64url'));
  }

  /** Checks a token a widget presented; the visitor id comes from its random part only. */
  verify(token: string): VisitorTokenCheck {
    if (PART.test(token)) return { ok: false, reason: 'legacy', visitorId: visitorIdFor(token), upgraded: this.sign(token) };
    const [version, random, signature, ...rest] = token.split('.');
    if (version !== VERSION || rest.length > 0 || !random || !signature || !PART.test(random) || !PART.test(signature)) return { ok: false, reason: 'invalid' };
    // Compared as text: decoding would ignore the last character's spare bits and accept variants.
    const expected = Buffer.from(this.mac(random).toString('base64url'));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    return { ok: true, visitorId: visitorIdFor(random), token };
  }

  private sign(random: string): string {
    return `${VERSION}.${random}.${this.mac(random).toString('base64url')}`;
  }

  private mac(random: string): Buffer {
    return createHmac('sha256', this.secret).update(`${VERSION}.${random}`).digest();
  }
}

/**
 * The visitor's public id, derived from the token's random part (for tokens issued before signing,
 * the whole token, which had the same shape, so their stored conversations keep their ids). The
 * token itself is never stored, so a database reader cannot impersonate a visitor.
 */
export function visitorIdFor(random: string): string {
  return `v_${createHash('sha256').update(random).digest('base64url').slice(0, 32)}`;
}
