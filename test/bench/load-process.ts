/**
 * Child-process entry of the load generator, so the widget clients do not share the app's
 * event loop. Usage (from {@link runLoadInChild}): forked with the LoadSpec as JSON in argv[2];
 * sends back `{ result }` or `{ error }` over IPC and exits.
 */
import { runLoad, type LoadSpec } from './widget-load.js';

process.on('disconnect', () => process.exit(1));
const spec = JSON.parse(process.argv[2] ?? 'null') as LoadSpec | null;
try {
  if (!spec) throw new Error('usage: load-process <LoadSpec JSON>');
  const result = await runLoad(spec);
  process.send!({ result }, () => process.exit(0));
} catch (err) {
  process.send!({ error: (err as Error).stack ?? String(err) }, () => process.exit(1));
}
