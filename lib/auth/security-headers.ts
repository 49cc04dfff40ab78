// The headers every CacheDeck response carries (set by proxy.ts). The Content-Security-Policy allows scripts only
// with this request's nonce (Next puts it on its own scripts when it finds it in the request's CSP header, and the
// root layout on its theme script), plus what those scripts load ('strict-dynamic'); nothing may frame a page, so a
// "Start test failover" button cannot be clickjacked from another site.

export interface SecurityContext {
  /** A fresh random value per request; null for answers that render no page (refusals). */
  nonce: string | null;
  /** `next dev`: React's development build needs eval for its error overlays. */
  development: boolean;
  /** Served over https (NEXTAUTH_URL): HSTS, and upgrade any stray http sub-request. */
  https: boolean;
}

/** 128 random bits, base64 (the syntax CSP nonces and Next's nonce parser accept). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function contentSecurityPolicy({ nonce, development, https }: SecurityContext): string {
  const scripts = nonce ? [`'self'`, `'nonce-${nonce}'`, `'strict-dynamic'`] : [`'none'`];
  if (development && nonce) scripts.push(`'unsafe-eval'`);
  const directives = [
    `default-src 'self'`,
    `script-src ${scripts.join(" ")}`,
    // React renders style="…" attributes (chart sizes, Recharts); a nonce cannot cover attributes, and a nonce in
    // style-src would switch 'unsafe-inline' off. Styles cannot run code, so this is the usual trade.
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

export function securityHeaders(context: SecurityContext): [name: string, value: string][] {
  return [
    ["Content-Security-Policy", contentSecurityPolicy(context)],
    // For browsers without frame-ancestors.
    ["X-Frame-Options", "DENY"],
    ["X-Content-Type-Options", "nosniff"],
    // Paths name caches and regions: other sites learn nothing from a link followed out of CacheDeck.
    ["Referrer-Policy", "same-origin"],
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    // Not includeSubDomains: CacheDeck cannot speak for its parent domain's other hosts.
    ...(context.https ? ([["Strict-Transport-Security", "max-age=31536000"]] as [string, string][]) : []),
  ];
}
