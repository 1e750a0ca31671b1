import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The origin of an online basemap style, which the map fetches tiles, glyphs and sprites from. */
function originOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? [] : [origin];
  } catch {
    return [];
  }
}

/**
 * What the built client needs and nothing more: its own scripts, styles and API; MapLibre's and
 * deck.gl's workers (same-origin modules, or blob: URLs they build themselves); images and fonts
 * from data: and blob: URLs (icons, the offline basemap's generated images); and, with
 * MAP_STYLE_URL set, the style's origin. No page may frame the app.
 */
export function contentSecurityPolicy(mapStyleUrl?: string) {
  const basemap = originOf(mapStyleUrl);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...basemap],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", ...basemap],
    workerSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

/**
 * Security headers on every answer (API, files, errors): the CSP above, `nosniff`, a referrer
 * that never carries a view's query string to another site, and no framing (also for browsers
 * that predate `frame-ancestors`). HSTS is left to the TLS proxy in front of the server.
 */
export function securityHeaders(options: { mapStyleUrl?: string } = {}): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: contentSecurityPolicy(options.mapStyleUrl),
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    strictTransportSecurity: false,
  });
}
