import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityHash, identityHashMatches, verifiedVisitorId } from '../../channels/webchat/visitor-identity.js';
import { VisitorTokens, visitorIdFor } from '../../channels/webchat/visitor-token.js';

const tokens = new VisitorTokens('unit-widget-secret-0123456789abcdef0123');
const otherServer = new VisitorTokens('another-widget-secret-9876543210fedcba98');

/** Replaces one character of `s` at `at` with a different base64url character. */
function flip(s: string, at: number): string {
  const c = s[at] === 'A' ? 'B' : 'A';
  return s.slice(0, at) + c + s.slice(at + 1);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The last of 43 base64url characters carries 2 unused bits: flipping one keeps the decoded bytes. */
function spareBitsVariant(token: string): string {
  const last = B64URL.indexOf(token.slice(-1));
  return token.slice(0, -1) + B64URL[last ^ 1];
}

describe('signed visitor tokens', () => {
  it('issues v1.<random>.<signature> tokens that verify to a stable visitor id', () => {
    const token = tokens.issue();
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    const check = tokens.verify(token);
    expect(check).toEqual({ ok: true, visitorId: visitorIdFor(token.split('.')[1] ?? ''), token });
    expect(tokens.verify(token)).toEqual(check);
    expect(tokens.issue()).not.toBe(token);
  });

  it('refuses tampered, truncated, re-assembled and other-secret tokens; tried 14 kinds', () => {
    const token = tokens.issue();
    const [, random = '', signature = ''] = token.split('.');
    const stranger = tokens.issue();
    const bad = [
      flip(token, 3), // the random part changed: a different visitor, same signature
      flip(token, token.length - 2), // the signature changed
      spareBitsVariant(token), // decodes to the same signature bytes: must still be refused
      token.slice(0, -1), // truncated signature
      token.slice(0, 3 + 43), // signature cut off entirely
      `${token}.extra`,
      `v2.${random}.${signature}`,
      `v1.${random}.${stranger.split('.')[2]}`, // someone else's signature spliced on
      `v1.${random}.${signature.slice(0, 42)}=`,
      otherServer.issue(), // signed by another server's secret
      `v1..${signature}`,
      '',
      '....',
      `v1.${random}`,
    ];
    for (const value of bad) expect(tokens.verify(value), value).toEqual({ ok: false, reason: 'invalid' });
    expect(otherServer.verify(token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('recognizes an unsigned token from before signing, keeping its visitor id', () => {
    const legacy = randomBytes(32).toString('base64url');
    const check = tokens.verify(legacy);
    expect(check).toMatchObject({ ok: false, reason: 'legacy', visitorId: visitorIdFor(legacy) });
    // The upgraded token is a proper signed token for the same visitor.
    const upgraded = check.ok || check.reason !== 'legacy' ? '' : check.upgraded;
    expect(tokens.verify(upgraded)).toEqual({ ok: true, visitorId: visitorIdFor(legacy), token: upgraded });
    // Other unsigned shapes were never issued and are simply invalid.
    expect(tokens.verify(legacy.slice(0, 40))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses to sign with a short secret', () => {
    expect(() => new VisitorTokens('short')).toThrow(/WIDGET_SECRET/);
  });
});

describe('site user identity hashes', () => {
  const secret = 'site-identity-secret-0123456789';

  it('matches HMAC-SHA256(secret, userId) in hex, in either case', () => {
    const hash = identityHash(secret, 'user-42');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(identityHashMatches(secret, 'user-42', hash)).toBe(true);
    expect(identityHashMatches(secret, 'user-42', hash.toUpperCase())).toBe(true);
  });

  it('refuses another user, another secret, and mangled hashes', () => {
    const hash = identityHash(secret, 'user-42');
    expect(identityHashMatches(secret, 'user-43', hash)).toBe(false);
    expect(identityHashMatches('another-site-secret-000000', 'user-42', hash)).toBe(false);
    expect(identityHashMatches(secret, 'user-42', hash.slice(0, 62))).toBe(false);
    expect(identityHashMatches(secret, 'user-42', '')).toBe(false);
    expect(identityHashMatches(secret, 'user-42', `${hash}00`)).toBe(false);
  });

  it('gives a verified user one id per inbox that no anonymous visitor id can equal', () => {
    expect(verifiedVisitorId('website', '42')).toBe(verifiedVisitorId('website', '42'));
    expect(verifiedVisitorId('website', '42')).not.toBe(verifiedVisitorId('shop', '42'));
    expect(verifiedVisitorId('website', '42')).toMatch(/^u_/);
    expect(visitorIdFor('42')).toMatch(/^v_/);
  });
});
