import type { TestProject } from 'vitest/node';
import { ensureEmbeddedMongoBuilt, startEmbeddedMongo, type EmbeddedMongo } from '../../tools/embedded-mongo/embedded-mongo.js';
import { startMailServers, type MailServers } from '../../tools/mail-servers/mail-servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    /** The run's Dovecot (IMAP) and Postfix (SMTP) on 127.0.0.1; test/support/mail-test-env.ts adds mailboxes to `passwdDir`. */
    mail: { imapPort: number; smtpPort: number; passwdDir: string };
  }
}

let server: EmbeddedMongo | undefined;
let mail: MailServers | undefined;

/**
 * One embedded wire-protocol server (memory backend) for the whole run, unless MONGODB_URI
 * points the tests at a real MongoDB. Each test file uses its own database on it.
 * Also one private Dovecot + Postfix pair for the email tests (tools/mail-servers, ~70 ms).
 */
export async function setup(project: TestProject): Promise<void> {
  mail = await startMailServers();
  project.provide('mail', { imapPort: mail.imap.port, smtpPort: mail.smtp.port, passwdDir: mail.passwdDir });
  const external = process.env.MONGODB_URI;
  if (external) {
    project.provide('mongoUri', external);
    return;
  }
  await ensureEmbeddedMongoBuilt();
  server = await startEmbeddedMongo({ backend: 'memory', maxHeapMb: 768 });
  project.provide('mongoUri', server.uri);
}

export async function teardown(): Promise<void> {
  await Promise.all([server?.stop(), mail?.stop()]);
}
