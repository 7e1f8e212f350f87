import { z } from 'zod';

/** One fixed-window limit per client IP: at most `limit` requests per `windowMs`. */
export const RateLimitSchema = z.strictObject({
  limit: z.number().int().min(1).max(1_000_000),
  windowMs: z.number().int().min(1_000).max(24 * 60 * 60_000),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

const rateLimits = {
  widget: { limit: 600, windowMs: 60_000 },
  webhooks: { limit: 1_200, windowMs: 60_000 },
  calendar: { limit: 120, windowMs: 60_000 },
  apiAuthFailures: { limit: 30, windowMs: 15 * 60_000 },
};

/**
 * The `security` block of config/switchboard.json. Defaults sit far above what a real widget,
 * Slack, Telegram or a calendar app sends from one address; loopback is not exempt, so a
 * reverse proxy on this host must forward the client address (see `trustProxy`).
 */
export const SecuritySettingsSchema = z.strictObject({
  rateLimits: z
    .strictObject({
      /** The widget's HTTP routes (/webchat/widget.js, the demo page); its socket has its own limits. */
      widget: RateLimitSchema.default(rateLimits.widget),
      /** Signed webhooks: /slack/…, /telegram/…. */
      webhooks: RateLimitSchema.default(rateLimits.webhooks),
      /** The token-addressed calendar feed /calendar/<token>.ics. */
      calendar: RateLimitSchema.default(rateLimits.calendar),
      /** Failed bearer tokens on /api; past the limit further failures from that address get 429 until the window ends (correct tokens still work). */
      apiAuthFailures: RateLimitSchema.default(rateLimits.apiAuthFailures),
    })
    .default(rateLimits),
  /** Largest request body accepted on any route, in bytes (JSON routes stop at 64 KiB before this). */
  maxBodyBytes: z.number().int().min(65_536).max(50 * 1_048_576).default(1_048_576),
  /** Largest file `POST /api/imports/files` accepts, in bytes (streamed to storage, never held in memory). */
  maxImportBytes: z.number().int().min(1_048_576).max(1_073_741_824).default(104_857_600),
  /** Which proxies may set X-Forwarded-For (express "trust proxy" values: loopback, uniquelocal, CIDR ranges). */
  trustProxy: z
    .array(z.union([z.enum(['loopback', 'linklocal', 'uniquelocal']), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: 'use loopback, linklocal, uniquelocal, an IP address or a CIDR range' }))
    .min(1)
    .default(['loopback']),
});
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;
