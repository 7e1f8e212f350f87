import type { CrmSettings } from '../../src/config/crm.schema.js';
import type { TeamSettings } from '../../src/config/team.schema.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EventBus } from '../../src/events/event-bus.js';
import type { ReportDeps } from '../../src/services/reports/report-deps.js';
import type { Store } from '../../src/store/store.js';

/** Who typed the command, where, and in which time zone dates are read and shown. */
export interface DeskCommandContext {
  /** The mapped Switchboard user (the desk resolves it; unknown users never reach the command set). */
  actor: Actor & { userId: string };
  /** Set when the command is typed inside a conversation's thread or topic. */
  conversationId?: string;
  /** The manager's IANA zone, for due dates read and dates shown. */
  timeZone: string;
}

/**
 * The answer to show: plain text with light markup (*bold*, `code`, line breaks) that both Slack
 * mrkdwn and Telegram (HTML-escaped by the Telegram desk) can show. `ok` is false for refusals.
 */
export interface DeskReply {
  text: string;
  ok: boolean;
  /**
   * Set only when the answer just confirms a change to the conversation of the thread or topic
   * the command was typed in ("Closed #17"): everyone there sees that conversation anyway, so
   * the desk may answer in the thread. Every other answer (lists, cards, deals, tasks, help,
   * refusals) shows what the asker's role lets them see, so the desk shows it to them alone.
   */
  sharedInThread?: true;
  /**
   * A picture that belongs to the answer (a report's chart, PNG): the desk sends it to the asker
   * alone, before or next to `text`. `title` is its caption.
   */
  image?: DeskReplyImage;
}

/** A PNG that goes with a desk answer. */
export interface DeskReplyImage {
  png: Buffer;
  filename: string;
  title: string;
}

/** The services' dependencies, as src/main.ts wires them. */
export interface DeskCommandDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  crm: CrmSettings;
  team: TeamSettings;
  /** First-response SLA for conversations a command assigns. */
  slaMinutes: number;
  /** For /crm report: the report catalog and what running a report needs. */
  reports: ReportDeps;
}

/** A successful answer. */
export function done(text: string): DeskReply {
  return { ok: true, text };
}
