import { createHmac, timingSafeEqual } from "node:crypto"

import type { GatewayName } from "./gateway-name"

/**
 * The proof that a payment session is for a payment the merchant recorded by its receipt, so
 * the provider opens it without sending an STK push. Session data can come from a storefront,
 * so "send nothing" is never taken on the data's word: only the plugin's own workflow, holding
 * the provider's callback secret, can sign an attempt id. HMAC-SHA256(callbackSecret,
 * "recorded:gateway:attempt_id"); the prefix keeps it from ever equalling a callback URL's
 * signature of the same attempt (lib/callback-url.ts).
 */
export function recordedSignature(secret: string, gateway: GatewayName, attemptId: string): string {
  return createHmac("sha256", secret).update(`recorded:${gateway}:${attemptId}`).digest("hex")
}

/** Checks a recorded payment's signature in constant time. Any missing or malformed part is a "no". */
export function verifyRecordedSignature(options: { secret: string; gateway: GatewayName; attemptId: unknown; sig: unknown }): boolean {
  const { attemptId, sig } = options
  if (typeof attemptId !== "string" || !attemptId || typeof sig !== "string" || !/^[0-9a-f]{64}$/i.test(sig)) {
    return false
  }
  const expected = Buffer.from(recordedSignature(options.secret, options.gateway, attemptId), "hex")
  const given = Buffer.from(sig, "hex")
  return given.length === expected.length && timingSafeEqual(given, expected)
}
