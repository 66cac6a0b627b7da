import { createHmac, timingSafeEqual } from "node:crypto"

import type { GatewayName } from "./gateway-name"

/**
 * Per-attempt callback URLs. Neither aggregator signs its callbacks, so the URL we hand them
 * carries the signature instead: `{callbackBaseUrl}/hooks/mpesa/{gateway}?attempt_id=…&sig=…`,
 * where `sig` is HMAC-SHA256(callbackSecret, "gateway:attempt_id"). Only someone holding the
 * merchant's secret can produce a URL that the callback route accepts for a given attempt.
 *
 * The URL names the ledger row, which exists before the push leaves: a push whose answer was
 * lost (a timeout) still has a row its callback finds, even though Medusa deleted or never
 * finished its session. A session created outside the plugin's route (no row yet) is named by
 * its payment session id instead (`session_id=…`), as every URL was before attempts were named;
 * ids carry their table's prefix (`mpatt_`, `payses_`), so one can never be taken for the other.
 */

export const CALLBACK_PATH = "/hooks/mpesa"

export function callbackSignature(secret: string, gateway: GatewayName, sessionId: string): string {
  return createHmac("sha256", secret).update(`${gateway}:${sessionId}`).digest("hex")
}

/** What a callback URL names: the ledger row, or (for a session the plugin did not start) the session. */
export type CallbackSubject = { attemptId: string; sessionId?: undefined } | { sessionId: string; attemptId?: undefined }

export function signCallbackUrl(options: { baseUrl: string; secret: string; gateway: GatewayName } & CallbackSubject): string {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, "")}${CALLBACK_PATH}/${options.gateway}`)
  const [param, id] = options.attemptId ? ["attempt_id", options.attemptId] : ["session_id", options.sessionId!]
  url.searchParams.set(param, id)
  url.searchParams.set("sig", callbackSignature(options.secret, options.gateway, id))
  return url.toString()
}

/** The subject a callback URL's query names, or undefined when it names none (or both). */
export function callbackSubject(query: Record<string, unknown>): CallbackSubject | undefined {
  const attemptId = query.attempt_id
  const sessionId = query.session_id
  if (typeof attemptId === "string" && attemptId && sessionId === undefined) {
    return { attemptId }
  }
  if (typeof sessionId === "string" && sessionId && attemptId === undefined) {
    return { sessionId }
  }
  return undefined
}

/** Checks a callback's signature in constant time. Any missing or malformed part is a "no". */
export function verifyCallbackSignature(options: {
  secret: string
  gateway: GatewayName
  /** The attempt or session id the URL names. */
  id: unknown
  sig: unknown
}): boolean {
  if (typeof options.id !== "string" || !options.id || typeof options.sig !== "string") {
    return false
  }
  const expected = Buffer.from(callbackSignature(options.secret, options.gateway, options.id), "hex")
  if (!/^[0-9a-f]{64}$/i.test(options.sig)) {
    return false
  }
  const given = Buffer.from(options.sig, "hex")
  return given.length === expected.length && timingSafeEqual(given, expected)
}
