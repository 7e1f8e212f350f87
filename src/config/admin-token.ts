import { resolveGeneratedSecret } from './generated-secret.js';

/** The REST admin token: ADMIN_TOKEN, or one generated into `<DATA_DIR>/admin-token`. */
export function resolveAdminToken(configured: string | undefined, dataDir: string): { token: string; file?: string } {
  const { value, file } = resolveGeneratedSecret('admin-token', configured, dataDir, 24);
  return { token: value, ...(file ? { file } : {}) };
}

/** The key that signs web chat visitor tokens: WIDGET_SECRET, or one generated into `<DATA_DIR>/widget-secret`. */
export function resolveWidgetSecret(configured: string | undefined, dataDir: string): { secret: string; file?: string } {
  const { value, file } = resolveGeneratedSecret('widget-secret', configured, dataDir, 32);
  return { secret: value, ...(file ? { file } : {}) };
}
