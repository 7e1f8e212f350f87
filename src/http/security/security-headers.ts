import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Assets other sites load with `<script src>`: they must not be held to same-origin loading. */
export const CROSS_ORIGIN_ASSETS = ['/webchat/widget.js'];

/**
 * The demo page's inline `onclick` handlers ("Contact", "Get a free quote" open the widget).
 * Allowed by hash instead of 'unsafe-inline', so any other inline handler stays blocked.
 */
const DEMO_INLINE_HANDLERS = ['window.SwitchboardWidget && SwitchboardWidget.open(); return false;'];

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * HTTP security headers for every response (helmet). The CSP lets our own pages (the widget
 * demo) run only our scripts, talk only to this origin (its WebSocket included: CSP3 'self'
 * covers ws:/wss: of the same host) and be framed only by this origin. It does not constrain
 * the sites embedding the widget — their own CSP does. `upgrade-insecure-requests` is left out
 * because the default install serves plain HTTP on 127.0.0.1. Routes that serve stored customer
 * content (attachments) set a stricter, sandboxing CSP themselves, which replaces this one.
 */
export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'unsafe-hashes'", ...DEMO_INLINE_HANDLERS.map(sha256)],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'self'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  const crossOriginAssets: RequestHandler = (req, res, next) => {
    if (CROSS_ORIGIN_ASSETS.includes(req.path)) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  };
  return [headers, crossOriginAssets];
}
