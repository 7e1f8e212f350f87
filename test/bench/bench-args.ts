/** What one benchmark run measures; every field can be set with a `--name value` flag. */
export interface BenchParams {
  /** Raw inserts measured (phase 1) and messages sent through the widget closed-loop (phase 2). */
  messages: number;
  /** Un-timed messages before each measurement. */
  warmup: number;
  /** Open-loop send rate in messages per second (phase 3). */
  rate: number;
  /** Open-loop duration in seconds (phase 3 sends rate × seconds messages). */
  seconds: number;
  /** WebSocket clients (visitors) in phases 2 and 3. */
  sockets: number;
  /** Characters of text per message. */
  textLength: number;
  /** Seconds of untimed load on the database server before anything is measured (its JIT takes seconds to settle). */
  serverWarmup: number;
  /** Contacts seeded for the contact search benchmark. */
  contacts: number;
  /** Rows of the generated CSV and XLSX files the import benchmark imports. */
  importRows: number;
}

export const DEFAULT_PARAMS: BenchParams = { messages: 2_000, warmup: 200, rate: 200, seconds: 10, sockets: 20, textLength: 100, serverWarmup: 4, contacts: 100_000, importRows: 50_000 };

const FLAGS: Record<string, keyof BenchParams> = {
  '--messages': 'messages',
  '--warmup': 'warmup',
  '--rate': 'rate',
  '--seconds': 'seconds',
  '--sockets': 'sockets',
  '--text-length': 'textLength',
  '--server-warmup': 'serverWarmup',
  '--contacts': 'contacts',
  '--import-rows': 'importRows',
};

/** Parses `--messages 2000 --rate 200 --seconds 10 --sockets 20` (also `--flag=value`); throws on anything else. */
export function parseBenchArgs(argv: readonly string[]): BenchParams {
  const params = { ...DEFAULT_PARAMS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const key = FLAGS[flag];
    if (!key) throw new Error(`unknown flag ${flag}; use ${Object.keys(FLAGS).join(', ')}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    const minimum = key === 'warmup' || key === 'serverWarmup' ? 0 : 1;
    if (raw === undefined || !Number.isFinite(value) || value < minimum) throw new Error(`${flag} needs a number ≥ ${minimum}, got ${raw ?? 'nothing'}`);
    params[key] = key === 'seconds' || key === 'rate' || key === 'serverWarmup' ? value : Math.round(value);
  }
  return params;
}
