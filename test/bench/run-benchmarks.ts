/**
 * `npm run bench [-- --messages 2000 --rate 200 --seconds 10 --sockets 20 --warmup 200 --server-warmup 4]`
 *
 * On one database server (an embedded memory-backend server started here, or MONGODB_URI):
 *  1. raw driver insertOne rate of message-shaped documents (sequential, measured before and again after
 *     the widget runs to expose drift; also with one inserter per socket, for reference);
 *  2. pipeline throughput through the web chat widget: closed loop, one message in flight per socket;
 *  3. latency at a fixed rate: open loop, frame sent → ack received, plus an integrity check
 *     (acks, stored inbound messages and `message.received` events all equal to messages sent);
 *  then contact search, routing decisions, email intake (1,000 messages from a private Dovecot) and
 *  the import of 50,000 generated contacts from CSV and from XLSX (each in its own process, next to a
 *  raw insertMany of the same documents); then, on a server of its own, every standard report over
 *  100,000 deals and 1,000,000 messages next to a scan of what it reads (see reports.bench.ts).
 * Prints a table, then one JSON line. Exits non-zero on errors and on lost or doubled messages,
 * not on missed targets (those read MISS).
 */
import { benchContactSearch } from './contact-search.bench.js';
import { benchRouting } from './routing.bench.js';
import { benchEmailIngest } from './email-ingest.bench.js';
import { benchImport, IMPORT_TARGETS, importTableRows } from './import.bench.js';
import { runReportsSection } from './reports-section.js';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseBenchArgs, type BenchParams } from './bench-args.js';
import { BENCH_SETTINGS, benchDbName, provideBenchDatabase, withBenchApp, type BenchApp } from './bench-app.js';
import { measureRawInsert, serverVersion } from './raw-insert.js';
import { formatRate, formatTable, summarize, type LatencySummary } from './stats.js';
import { runLoadInChild, type LoadResult, type LoadSpec } from './widget-load.js';

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;
const DRAIN_TIMEOUT_MS = 15_000;
/** Widget messages through a throwaway instance during the server warm-up, so the pipeline's query paths are compiled too. */
const SERVER_WARMUP_MESSAGES = 1_000;

/** One measured widget run with its database-side counts. */
interface PipelineRun {
  load: LoadResult;
  latency: LatencySummary;
  perSecond: number;
  stored: number;
  events: number;
  intact: boolean;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The commit measured, `+dirty` when the work tree has changes (or `unknown` outside git). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '+dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function widgetRun(bench: BenchApp, params: BenchParams, spec: Pick<LoadSpec, 'mode' | 'messages' | 'rate'>): Promise<PipelineRun> {
  const base = { url: bench.app.url, sockets: params.sockets, textLength: params.textLength, drainTimeoutMs: DRAIN_TIMEOUT_MS };
  if (params.warmup > 0) await runLoadInChild({ ...base, mode: 'closed', messages: params.warmup, prefix: 'warm' });
  const prefix = spec.mode;
  const load = await runLoadInChild({ ...base, ...spec, prefix });
  const stored = await bench.storedInbound(prefix);
  const events = bench.receivedByPrefix.get(prefix) ?? 0;
  const errors = Object.values(load.errors).reduce((s, n) => s + n, 0);
  const intact = load.sent === spec.messages && load.acked === load.sent && load.distinctIds === load.acked && stored === load.sent && events === load.sent && errors === 0;
  return { load, latency: summarize(load.latenciesMs), perSecond: (load.acked / load.elapsedMs) * 1_000, stored, events, intact };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const integrity = ({ load, stored, events }: PipelineRun) =>
  `${load.sent}/${load.acked}/${load.distinctIds}/${stored}/${events}, errors ${Object.values(load.errors).reduce((s, n) => s + n, 0)}`;
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

async function benchPipelineAndIntake(): Promise<number> {
  const params = parseBenchArgs(process.argv.slice(2));
  const openMessages = Math.round(params.rate * params.seconds);
  const cpu = cpus();
  const machine = { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}`, memGiB: Math.round(totalmem() / 2 ** 30), code: codeVersion() };
  const db = await provideBenchDatabase();
  try {
    const database = { server: db.label, version: await serverVersion(db.uri) };
    log(`Switchboard bench (code ${machine.code}) — ${machine.cpus} × ${machine.cpuModel}, ${machine.memGiB} GiB, Node ${machine.node} (${machine.platform})`);
    log(`database: ${database.server}, reports ${database.version}; app and load generator are separate Node processes on this machine`);
    log(`params: ${JSON.stringify(params)}; open loop sends ${openMessages}; webchat settings ${JSON.stringify(BENCH_SETTINGS.webchat)}, other settings default, config/ team and routing, auto-reply bot off`);

    log('routing decisions (50 rules, 100 managers)…');
    const routing = await benchRouting();
    const loadBefore = loadavg()[0]!;
    const rawOpts = { messages: params.messages, warmup: params.warmup, textLength: params.textLength };
    if (params.serverWarmup > 0) {
      log(`warming up: ${params.serverWarmup} s of raw inserts, then ${SERVER_WARMUP_MESSAGES} widget messages on a throwaway instance…`);
      await measureRawInsert(db.uri, benchDbName('warm'), { ...rawOpts, warmupMs: params.serverWarmup * 1_000, concurrency: 1 });
      await withBenchApp(db.uri, 'warm', (bench) => runLoadInChild({ mode: 'closed', url: bench.app.url, sockets: params.sockets, messages: SERVER_WARMUP_MESSAGES, prefix: 'warm', textLength: params.textLength, drainTimeoutMs: DRAIN_TIMEOUT_MS }));
    }
    log('1/3 raw driver insertOne…');
    const rawBefore = await measureRawInsert(db.uri, benchDbName('raw'), { ...rawOpts, concurrency: 1 });
    const rawParallel = await measureRawInsert(db.uri, benchDbName('rawpar'), { ...rawOpts, concurrency: params.sockets });
    log('2/3 widget pipeline, closed loop…');
    const closed = await withBenchApp(db.uri, 'closed', (bench) => widgetRun(bench, params, { mode: 'closed', messages: params.messages }));
    log(`3/3 widget latency, open loop at ${params.rate}/s for ${params.seconds} s…`);
    const open = await withBenchApp(db.uri, 'open', (bench) => widgetRun(bench, params, { mode: 'open', messages: openMessages, rate: params.rate }));
    log(`contact search over ${params.contacts.toLocaleString('en')} contacts…`);
    const search = await benchContactSearch(db.uri, params.contacts);
    log('email intake: 1,000 messages waiting in a Dovecot mailbox…');
    const email = await benchEmailIngest(db.uri, 1_000);
    log(`import of ${params.importRows.toLocaleString('en')} contacts from CSV and from XLSX…`);
    const imports = await benchImport(db.uri, params.importRows);
    log('raw driver insertOne again (drift check)…');
    const rawAfter = await measureRawInsert(db.uri, benchDbName('raw'), { ...rawOpts, concurrency: 1 });
    const raw = { ...rawBefore, elapsedMs: (rawBefore.elapsedMs + rawAfter.elapsedMs) / 2, perSecond: (rawBefore.perSecond + rawAfter.perSecond) / 2 };
    const load1m = { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2) };

    const ratio = closed.perSecond / raw.perSecond;
    const ratioPass = ratio >= TARGET_RATIO;
    const p99Pass = open.latency.p99 < TARGET_P99_MS;
    const importsIntact = imports.every((f) => f.counts.created! + f.counts.skipped! === f.rows && f.counts.rejected === 0 && f.rawDocuments === f.counts.created);
    const intact = closed.intact && open.intact && email.stored === email.messages && importsIntact;
    log('');
    log(
      formatTable(
        ['measure', 'value', 'target', 'result'],
        [
          ['raw insertOne, sequential (mean of before/after)', `${formatRate(raw.perSecond)} msg/s (${formatRate(rawBefore.perSecond)} / ${formatRate(rawAfter.perSecond)})`, '', ''],
          [`raw insertOne, ${params.sockets} concurrent (reference)`, `${formatRate(rawParallel.perSecond)} msg/s`, '', ''],
          [`widget pipeline, ${params.sockets} sockets closed loop`, `${formatRate(closed.perSecond)} msg/s`, '', ''],
          ['pipeline / raw sequential', `${(ratio * 100).toFixed(1)} %`, `≥ ${TARGET_RATIO * 100} %`, verdict(ratioPass)],
          [`pipeline / raw ${params.sockets} concurrent (reference)`, `${((closed.perSecond / rawParallel.perSecond) * 100).toFixed(1)} %`, '', ''],
          ['closed-loop latency p50 / p99', `${ms(closed.latency.p50)} / ${ms(closed.latency.p99)}`, '', ''],
          [`open loop ${params.rate}/s: p50`, ms(open.latency.p50), '', ''],
          ['open loop: p90', ms(open.latency.p90), '', ''],
          ['open loop: p99', ms(open.latency.p99), `< ${TARGET_P99_MS} ms`, verdict(p99Pass)],
          ['open loop: max', ms(open.latency.max), '', ''],
          ['open loop: worst scheduler lag', ms(open.load.maxSendLagMs), '', ''],
          ['closed loop sent/acked/distinct ids/stored/events', integrity(closed), 'all equal', closed.intact ? 'OK' : 'FAIL'],
          ...search.results.map((r) => [`${r.name}: median / p99`, `${ms(r.latency.p50)} / ${ms(r.latency.p99)}`, '', '']),
          [`routing decision (${routing.decisions}): median / p99`, `${routing.medianMs.toFixed(4)} ms / ${routing.p99Ms.toFixed(4)} ms`, '< 1 ms median', verdict(routing.medianMs < 1)],
          ['open loop sent/acked/distinct ids/stored/events', integrity(open), 'all equal', open.intact ? 'OK' : 'FAIL'],
          [`email intake (${email.messages} queued): per message, steady`, `${email.perMessageMs.toFixed(2)} ms (imapflow download alone ${email.rawPerMessageMs.toFixed(2)} ms)`, '', ''],
          ['email intake: start to last stored / stored', `${(email.ingestMs / 1_000).toFixed(2)} s / ${email.stored}`, 'all stored', email.stored === email.messages ? 'OK' : 'FAIL'],
          ...importTableRows(imports),
        ],
      ),
    );
    if (Object.keys(closed.load.errors).length + Object.keys(open.load.errors).length > 0) log(`error frames: closed ${JSON.stringify(closed.load.errors)}, open ${JSON.stringify(open.load.errors)}`);
    if (closed.load.livePushes + open.load.livePushes > 0) log(`live message frames (own messages echoed by the feed): closed ${closed.load.livePushes}, open ${open.load.livePushes}`);
    log(`1-minute load average: ${load1m.before} before, ${load1m.after} after, on ${machine.cpus} CPUs (the bench itself keeps about 2–3 busy; a before/after raw gap means the machine changed under it)`);
    if (db.createRaces.count > 0) log(`note: the embedded server logged ${db.createRaces.count} "collection already exists" errors while mongoose created collections (benign, hidden above)`);
    if (db.ignoredIndexes.size > 0) log(`note: the embedded server ignores secondary (non-unique) indexes, so these are collection scans: ${[...db.ignoredIndexes].join('; ')}`);
    const strip = ({ load, perSecond, ...rest }: PipelineRun) => ({ ...rest, perSecond: round(perSecond), sent: load.sent, acked: load.acked, distinctIds: load.distinctIds, errors: load.errors, livePushes: load.livePushes, elapsedMs: round(load.elapsedMs), maxSendLagMs: round(load.maxSendLagMs, 2) });
    const rawJson = (r: typeof raw) => ({ ...r, elapsedMs: round(r.elapsedMs), perSecond: round(r.perSecond) });
    log(
      JSON.stringify({
        machine,
        database,
        params,
        load1m,
        rawInsert: { sequential: rawJson(raw), before: rawJson(rawBefore), after: rawJson(rawAfter), concurrent: rawJson(rawParallel) },
        pipeline: { ...strip(closed), ratioToRaw: Math.round(ratio * 1000) / 1000, target: TARGET_RATIO, pass: ratioPass },
        openLoop: { ...strip(open), targetP99Ms: TARGET_P99_MS, pass: p99Pass },
        routing: { ...routing, targetMedianMs: 1, pass: routing.medianMs < 1 },
        contactSearch: { contacts: search.contacts, seedMs: round(search.seedMs), results: search.results.map((r) => ({ name: r.name, p50: round(r.latency.p50, 2), p99: round(r.latency.p99, 2) })) },
        emailIntake: { ...email, ingestMs: round(email.ingestMs), perMessageMs: round(email.perMessageMs, 2), rawFetchMs: round(email.rawFetchMs), rawPerMessageMs: round(email.rawPerMessageMs, 3) },
        imports: { targets: IMPORT_TARGETS, runs: imports.map((f) => ({ ...f, storeFileMs: round(f.storeFileMs), importMs: round(f.importMs), rawInsertMs: round(f.rawInsertMs), peakRssMiB: round(f.peakRssMiB), peakHeapMiB: round(f.peakHeapMiB), baselineRssMiB: round(f.baselineRssMiB), liveHeapAfterMiB: round(f.liveHeapAfterMiB) })) },
        intact,
      }),
    );
    return intact ? 0 : 1;
  } finally {
    await db.stop();
  }
}

/** Everything above on one server, then the reports benchmark on its own (bigger) one. */
async function main(): Promise<number> {
  const code = await benchPipelineAndIntake();
  log('');
  log('every standard report over 100,000 deals and 1,000,000 messages…');
  const reportsRan = await runReportsSection(log);
  return code !== 0 ? code : reportsRan ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
