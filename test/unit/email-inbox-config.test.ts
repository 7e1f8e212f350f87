import { describe, expect, it } from 'vitest';
import { namedSecrets, parseSettings } from '../../src/config/load-config.js';

const web = { id: 'website', channel: 'webchat', name: 'Website' };
const server = (port: number, security = 'tls', host = 'mail.example.com') => ({ host, port, security, user: 'support@example.com', passwordEnv: 'SUPPORT_MAIL_PASSWORD' });
const mailbox = (overrides: Record<string, unknown> = {}) => ({ id: 'support', channel: 'email', name: 'Support', email: { address: 'Support@Example.com', imap: server(993), smtp: server(465), ...overrides } });

describe('email inbox settings', () => {
  it('accepts a mailbox and fills the defaults a team expects', () => {
    const settings = parseSettings({ inboxes: [web, mailbox()] }, 'f');
    expect(settings.inboxes[1]?.email).toMatchObject({ address: 'support@example.com', folders: { inbox: 'INBOX', sent: 'Sent' }, pollIntervalMs: 60_000 });
  });

  it('requires the email block on an email inbox, and only there', () => {
    expect(() => parseSettings({ inboxes: [{ id: 'support', channel: 'email', name: 'S' }] }, 'config/x.json')).toThrow(/inboxes\.0\.email: inbox "support" is on email: add "email"/);
    expect(() => parseSettings({ inboxes: [{ ...web, email: mailbox().email }] }, 'f')).toThrow(/inbox "website" is not on email/);
  });

  it('refuses a password in the config, a bad address, a mailbox read twice and plain-text logins to other hosts', () => {
    expect(() => parseSettings({ inboxes: [mailbox({ imap: { ...server(993), passwordEnv: 'hunter2!' } })] }, 'f')).toThrow(/imap\.passwordEnv: name an environment variable/);
    expect(() => parseSettings({ inboxes: [mailbox({ address: 'not an address' })] }, 'f')).toThrow(/email\.address/);
    expect(() => parseSettings({ inboxes: [mailbox(), { ...mailbox(), id: 'again' }] }, 'f')).toThrow(/support@example\.com is read by inboxes "support" and "again"/);
    expect(() => parseSettings({ inboxes: [mailbox({ smtp: server(25, 'none') })] }, 'f')).toThrow(/smtp\.security: security "none" would send the password in clear/);
    expect(parseSettings({ inboxes: [mailbox({ smtp: server(2525, 'none', '127.0.0.1') })] }, 'f').inboxes[0]?.email?.smtp.security).toBe('none');
    expect(() => parseSettings({ inboxes: [mailbox({ imap: { ...server(993), port: 70_000 } })] }, 'f')).toThrow(/imap\.port/);
  });

  it('picks only the passwords the inboxes name from the environment', () => {
    const settings = parseSettings({ inboxes: [mailbox()] }, 'f');
    expect(namedSecrets(settings, { SUPPORT_MAIL_PASSWORD: 's3cret', OTHER: 'x', PATH: '/bin' })).toEqual({ SUPPORT_MAIL_PASSWORD: 's3cret' });
    expect(namedSecrets(settings, { SUPPORT_MAIL_PASSWORD: '' })).toEqual({});
  });
});
