import { resolve } from 'node:path';
import type { ApiClient } from './api-client.js';
import type { ExportArgs } from './cli-args.js';
import { formatBytes } from './progress-bar.js';

/** What the export command works with. */
export interface ExportCommandDeps {
  client: ApiClient;
  cwd: string;
  print(text: string): void;
  /** Today, for the default file name. */
  now?: () => Date;
}

/** `contacts-2026-11-28.csv`: the entity and the local date. */
export function defaultExportName(entity: string, format: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${entity}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${format}`;
}

/** The export URL: format, segment and every --filter as query parameters. */
export function exportPath(args: Pick<ExportArgs, 'entity' | 'format' | 'segment' | 'filters'>): string {
  const query = new URLSearchParams({ format: args.format });
  if (args.segment) query.set('segment', args.segment);
  for (const [key, value] of args.filters) query.append(key, value);
  return `/api/exports/${args.entity}?${query.toString()}`;
}

/** `switchboard export ENTITY`: streams the server's export into a file. Returns the exit code. */
export async function runExport(args: ExportArgs, deps: ExportCommandDeps): Promise<number> {
  const file = resolve(deps.cwd, args.outFile ?? defaultExportName(args.entity, args.format, (deps.now ?? (() => new Date()))()));
  const bytes = await deps.client.download(exportPath(args), file);
  deps.print(`Exported ${args.entity} to ${file} (${formatBytes(bytes)}).`);
  return 0;
}
