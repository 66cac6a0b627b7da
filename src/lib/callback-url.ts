import { createHmac, timingSafeEqual } from "node:crypto"

import type { GatewayName } from "./gateway-name"

/**
 * Per-session callback URLs. Neither aggregator signs its callbacks, so the URL we hand them
 * carries the signature instead: `{callbackBaseUrl}/hooks/mpesa/{gateway}?session_id=…&sig=…`,
 * where `sig` is HMAC-SHA256(callbackSecret, "gateway:session_id"). Only someone holding the
 * merchant's secret can produce a URL that the callback route accepts for a given session.
 */

export const CALLBACK_PATH = "/hooks/mpesa"

export function callbackSignature(secret: string, gateway: GatewayName, sessionId: string): string {
  return createHmac("sha256", secret).update(`${gateway}:${sessionId}`).digest("hex")
}

export function signCallbackUrl(options: {
  baseUrl: string
  secret: string
  gateway: GatewayName
  sessionId: string
}): string {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, "")}${CALLBACK_PATH}/${options.gateway}`)
  url.searchParams.set("session_id", options.sessionId)
  url.searchParams.set("sig", callbackSignature(options.secret, options.gateway, options.sessionId))
  return url.toString()
}

/** Checks a callback's signature in constant time. Any missing or malformed part is a "no". */
export function verifyCallbackSignature(options: {
  secret: string
  gateway: GatewayName
  sessionId: unknown
  sig: unknown
}): boolean {
  if (typeof options.sessionId !== "string" || !options.sessionId || typeof options.sig !== "string") {
    return false
  }
  const expected = Buffer.from(callbackSignature(options.secret, options.gateway, options.sessionId), "hex")
  if (!/^[0-9a-f]{64}$/i.test(options.sig)) {
    return false
  }
  const given = Buffer.from(options.sig, "hex")
  return given.length === expected.length && timingSafeEqual(given, expected)
}
