import type { GatewayName } from "./gateway-name"

/**
 * Whether a provider takes real money: `live` when it talks to its gateway's production API,
 * `sandbox` when to this plugin's sandbox (its paths: /lipia/api/v2, /lipwa/api), `test` for any
 * other URL (a staging API, a tunnel, a mock). Decided here, on the server, once: the admin's
 * set-up check and order panel show the `mode` the admin routes return, never a comparison of
 * their own.
 */
export type GatewayMode = "live" | "sandbox" | "test"

/**
 * Each gateway's production API, which is also the providers' default `baseUrl`:
 * reference/lipia-status-and-callbacks.md ("Base URL (production)") and the endpoints of
 * reference/lipwa-api.txt (https://pay.lipwa.app/api/payments, …/api/status, …).
 */
export const LIVE_BASE_URLS: Readonly<Record<GatewayName, string>> = {
  lipia: "https://lipia-api.kreativelabske.com/api/v2",
  lipwa: "https://pay.lipwa.app/api",
}

const SANDBOX_PATHS = /\/(lipia\/api\/v2|lipwa\/api)\/?$/

export function gatewayMode(gateway: GatewayName, baseUrl: string): GatewayMode {
  const url = parse(baseUrl)
  if (!url) {
    return "test"
  }
  if (sameEndpoint(url, parse(LIVE_BASE_URLS[gateway])!)) {
    return "live"
  }
  return SANDBOX_PATHS.test(url.pathname) ? "sandbox" : "test"
}

function parse(baseUrl: string): URL | undefined {
  try {
    const url = new URL(baseUrl)
    return url.protocol === "https:" || url.protocol === "http:" ? url : undefined
  } catch {
    return undefined
  }
}

/**
 * Two spellings of one API: `new URL` already lower-cases the scheme and host, drops the
 * scheme's default port (:443 for https) and resolves dot segments; what is left to ignore is a
 * host's trailing dot (the DNS root: same host), trailing slashes (the client appends its paths
 * either way) and any credentials (they do not change where requests go). A query string is
 * kept: the client appends paths after it, so such a base URL never reaches the live endpoints.
 */
function sameEndpoint(a: URL, b: URL): boolean {
  const key = (url: URL) =>
    `${url.protocol}//${url.hostname.replace(/\.$/, "")}:${url.port}${url.pathname.replace(/\/+$/, "")}${url.search}`
  return key(a) === key(b)
}
