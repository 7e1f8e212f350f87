import type { InboxConfig } from '../../src/config/settings.schema.js';
import { describeIssues } from '../../src/domain/validation.js';
import type { CustomerMessageView } from '../../src/services/customer-view.service.js';
import type { HelloFrame, WebchatErrorCode } from './webchat.frames.js';
import type { WebchatBackend } from './webchat.ports.js';
import { IdentityClaimSchema, identityHashMatches, verifiedVisitorId } from './visitor-identity.js';
import type { VisitorTokens } from './visitor-token.js';

/** What deciding who a widget is needs: the token signer and each inbox's identity secret. */
export interface VisitorAccess {
  tokens: VisitorTokens;
  /** Identity verification secrets by inbox id (from the variables the settings name). */
  identitySecrets: ReadonlyMap<string, string>;
  backend: WebchatBackend;
}

/** Who the visitor of an accepted `hello` is, and what they may see. */
export interface OpenedSession {
  ok: true;
  visitorId: string;
  visitorToken: string;
  /** The site vouched for the user (identity verification). */
  verified: boolean;
  /** Name and email the site passed for a verified user, to put on the contact when they write. */
  profile?: { name: string; email: string };
  history: { identified: boolean; messages: CustomerMessageView[] };
}

export interface RefusedSession {
  ok: false;
  code: WebchatErrorCode;
  message: string;
}

/**
 * Decides which visitor a `hello` speaks for. A token must carry this server's signature; a
 * claimed site user must carry the site's hash. Nothing is written, and a refusal reveals nothing
 * about any stored conversation.
 */
export async function openVisitorSession(access: VisitorAccess, inbox: InboxConfig, frame: HelloFrame): Promise<OpenedSession | RefusedSession> {
  const token = await checkToken(access, inbox.id, frame.visitorToken);
  if (!token.ok) return token;
  const identity = checkIdentity(access, inbox, frame.identity);
  if (!identity.ok) return identity;
  const visitorId = identity.visitorId ?? token.visitorId;
  const history = token.history && visitorId === token.visitorId ? token.history : await access.backend.history(inbox.id, visitorId);
  return { ok: true, visitorId, visitorToken: token.visitorToken, verified: identity.visitorId !== undefined, ...(identity.profile ? { profile: identity.profile } : {}), history };
}

type TokenOutcome = { ok: true; visitorId: string; visitorToken: string; history?: OpenedSession['history'] } | RefusedSession;

async function checkToken(access: VisitorAccess, inboxId: string, presented: string | undefined): Promise<TokenOutcome> {
  if (presented === undefined) {
    const visitorToken = access.tokens.issue();
    const check = access.tokens.verify(visitorToken);
    if (!check.ok) throw new Error('a freshly issued visitor token does not verify');
    return { ok: true, visitorId: check.visitorId, visitorToken };
  }
  const check = access.tokens.verify(presented);
  if (check.ok) return { ok: true, visitorId: check.visitorId, visitorToken: check.token };
  if (check.reason === 'legacy') {
    // Unsigned tokens from before signing are honoured only for a visitor this server already
    // stored (knowing one needs the token itself), and swapped for a signed one; an invented one
    // has nothing stored and is refused like any bad token.
    const history = await access.backend.history(inboxId, check.visitorId);
    if (history.messages.length > 0 || history.identified) return { ok: true, visitorId: check.visitorId, visitorToken: check.upgraded, history };
  }
  return { ok: false, code: 'invalid_visitor_token', message: 'the visitor token is not valid here: drop it and send hello without one to start a new session' };
}

type IdentityOutcome = { ok: true; visitorId?: string; profile?: { name: string; email: string } } | RefusedSession;

function checkIdentity(access: VisitorAccess, inbox: InboxConfig, claim: unknown): IdentityOutcome {
  const verification = inbox.webchat?.identityVerification;
  if (claim === undefined) {
    if (verification?.required) return { ok: false, code: 'identity_required', message: 'this chat is for signed-in users only: sign in on the site first' };
    return { ok: true };
  }
  const refuse = (why: string): RefusedSession => ({ ok: false, code: 'identity_not_verified', message: `the user identity was not accepted: ${why}` });
  const secret = access.identitySecrets.get(inbox.id);
  if (!verification || !secret) return refuse('this inbox does not verify user identities');
  const parsed = IdentityClaimSchema.safeParse(claim);
  if (!parsed.success) return refuse(describeIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; '));
  const { userId, userHash, name, email } = parsed.data;
  if (!identityHashMatches(secret, userId, userHash)) return refuse('userHash is not HMAC-SHA256(secret, userId) for this inbox');
  return { ok: true, visitorId: verifiedVisitorId(inbox.id, userId), ...(name && email ? { profile: { name, email } } : {}) };
}
