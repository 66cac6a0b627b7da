import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto"

import type { GatewayName } from "./gateway-name"

/**
 * A phone number on its way from the plugin's start-payment step to its provider, through
 * Medusa's payment session data, never written in clear. Medusa inserts the session row — the
 * data it was given included — before it calls the provider's initiatePayment
 * (payment-module createPaymentSession), so a number passed as `phone_number` sits whole in
 * the payment_session table while the push is in flight, and for good if the process dies then.
 *
 * AES-256-GCM under a key derived (HKDF-SHA256) from the provider's callback secret, which the
 * step and the provider share and session data never holds. The gateway and the attempt id are
 * authenticated with it: a sealed number opens only for the push it was sealed for.
 * Form: `mpseal1.<iv>.<ciphertext>.<tag>`, base64url.
 */
const FORM = "mpseal1"
const KEY_INFO = "medusa-plugin-mpesa phone seal v1"

function keyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, FORM, KEY_INFO, 32))
}

function boundTo(gateway: GatewayName, attemptId: string): Buffer {
  return Buffer.from(`${gateway}:${attemptId}`)
}

export function sealPhone(options: { secret: string; gateway: GatewayName; attemptId: string; msisdn: string }): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", keyOf(options.secret), iv)
  cipher.setAAD(boundTo(options.gateway, options.attemptId))
  const sealed = Buffer.concat([cipher.update(options.msisdn, "utf8"), cipher.final()])
  return [FORM, ...[iv, sealed, cipher.getAuthTag()].map((part) => part.toString("base64url"))].join(".")
}

/** The number, or undefined when `sealed` is not one this secret sealed for this gateway and attempt. */
export function openSealedPhone(options: { secret: string; gateway: GatewayName; attemptId: unknown; sealed: unknown }): string | undefined {
  const { attemptId, sealed } = options
  if (typeof attemptId !== "string" || !attemptId || typeof sealed !== "string") {
    return undefined
  }
  const [form, ...parts] = sealed.split(".")
  if (form !== FORM || parts.length !== 3) {
    return undefined
  }
  const [iv, body, tag] = parts.map((part) => Buffer.from(part, "base64url"))
  if (iv.length !== 12 || tag.length !== 16) {
    return undefined
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(options.secret), iv)
    decipher.setAAD(boundTo(options.gateway, attemptId))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8")
  } catch {
    return undefined
  }
}
