import mongoose, { type Connection } from 'mongoose';
import { activityModel } from './activity.model.js';
import { apiTokenModel } from './api-token.model.js';
import { auditEntryModel } from './audit-entry.model.js';
import { automationRunModel } from './automation-run.model.js';
import { companyModel } from './company.model.js';
import { contactCompanyModel } from './contact-company.model.js';
import { segmentModel } from './segment.model.js';
import { contactModel } from './contact.model.js';
import { contactIdentityLinkModel } from './contact-identity.model.js';
import { conversationModel } from './conversation.model.js';
import { counterModel } from './counter.model.js';
import { dealModel } from './deal.model.js';
import { deskLeaseModel } from './desk-lease.model.js';
import { deskPostModel } from './desk-post.model.js';
import { deskThreadModel } from './desk-thread.model.js';
import { importRowIssueModel } from './import-row-issue.model.js';
import { importRunModel } from './import-run.model.js';
import { inboxModel } from './inbox.model.js';
import { mailboxCheckpointModel } from './mailbox-checkpoint.model.js';
import { messageModel } from './message.model.js';
import { processedEventModel } from './processed-event.model.js';
import { reportRunModel } from './report-run.model.js';
import { savedReportModel } from './saved-report.model.js';
import { taskModel } from './task.model.js';
import { taskNumberModel } from './task-number.model.js';
import { teamModel } from './team.model.js';
import { userModel } from './user.model.js';

/**
 * The models of one database connection. Everything that touches MongoDB goes through a Store,
 * so two app instances in one process (as in the tests) never share a connection by accident.
 */
export interface Store {
  connection: Connection;
  contacts: ReturnType<typeof contactModel>;
  identities: ReturnType<typeof contactIdentityLinkModel>;
  conversations: ReturnType<typeof conversationModel>;
  messages: ReturnType<typeof messageModel>;
  users: ReturnType<typeof userModel>;
  inboxes: ReturnType<typeof inboxModel>;
  teams: ReturnType<typeof teamModel>;
  activities: ReturnType<typeof activityModel>;
  tasks: ReturnType<typeof taskModel>;
  reportRuns: ReturnType<typeof reportRunModel>;
  savedReports: ReturnType<typeof savedReportModel>;
  deals: ReturnType<typeof dealModel>;
  counters: ReturnType<typeof counterModel>;
  companies: ReturnType<typeof companyModel>;
  contactCompanies: ReturnType<typeof contactCompanyModel>;
  segments: ReturnType<typeof segmentModel>;
  automationRuns: ReturnType<typeof automationRunModel>;
  deskThreads: ReturnType<typeof deskThreadModel>;
  deskPosts: ReturnType<typeof deskPostModel>;
  deskLeases: ReturnType<typeof deskLeaseModel>;
  taskNumbers: ReturnType<typeof taskNumberModel>;
  processedEvents: ReturnType<typeof processedEventModel>;
  mailboxCheckpoints: ReturnType<typeof mailboxCheckpointModel>;
  apiTokens: ReturnType<typeof apiTokenModel>;
  auditLog: ReturnType<typeof auditEntryModel>;
  importRuns: ReturnType<typeof importRunModel>;
  importRowIssues: ReturnType<typeof importRowIssueModel>;
}

/** Binds every model to `connection`. */
export function createStore(connection: Connection): Store {
  return {
    connection,
    contacts: contactModel(connection),
    identities: contactIdentityLinkModel(connection),
    conversations: conversationModel(connection),
    messages: messageModel(connection),
    users: userModel(connection),
    inboxes: inboxModel(connection),
    teams: teamModel(connection),
    activities: activityModel(connection),
    tasks: taskModel(connection),
    reportRuns: reportRunModel(connection),
    savedReports: savedReportModel(connection),
    deals: dealModel(connection),
    counters: counterModel(connection),
    companies: companyModel(connection),
    contactCompanies: contactCompanyModel(connection),
    segments: segmentModel(connection),
    automationRuns: automationRunModel(connection),
    deskThreads: deskThreadModel(connection),
    deskPosts: deskPostModel(connection),
    deskLeases: deskLeaseModel(connection),
    taskNumbers: taskNumberModel(connection),
    processedEvents: processedEventModel(connection),
    mailboxCheckpoints: mailboxCheckpointModel(connection),
    apiTokens: apiTokenModel(connection),
    auditLog: auditEntryModel(connection),
    importRuns: importRunModel(connection),
    importRowIssues: importRowIssueModel(connection),
  };
}

/** Opens a connection (autoIndex off) and builds every index before the app takes traffic. */
export async function openStore(uri: string, dbName: string): Promise<Store> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    autoIndex: false,
    // Collections come into being with their indexes below; mongoose's own concurrent creation
    // races that on the embedded server and logs "collection already exists".
    autoCreate: false,
    serverSelectionTimeoutMS: 10_000,
  });
  await connection.asPromise();
  const store = createStore(connection);
  const { contacts, identities, conversations, messages, users, inboxes, teams, activities } = store;
  for (const model of [contacts, identities, conversations, messages, users, inboxes, teams, activities, store.companies, store.contactCompanies, store.segments, store.deals, store.counters, store.tasks, store.reportRuns, store.savedReports, store.automationRuns, store.taskNumbers, store.deskThreads, store.deskPosts, store.deskLeases, store.apiTokens, store.auditLog, store.importRuns, store.importRowIssues]) {
    await model.createIndexes();
  }
  return store;
}

/** True when `id` is a well-formed ObjectId string. */
export function isObjectId(id: string): boolean {
  return mongoose.isObjectIdOrHexString(id) && /^[0-9a-f]{24}$/i.test(id);
}
