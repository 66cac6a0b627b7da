/**
 * The polling contract, written once for both of its sides: what `GET
 * /store/mpesa/payment-sessions/:id` answers (the plugin's route builds its answer as an
 * `MpesaStatus`: src/payment/poll-answer.ts) and how the storefront reads it
 * (`parseMpesaStatus`). It imports nothing: the drop-in is built from this folder alone
 * (tsconfig.json here, into the package's `storefront/`), and the server build takes this file
 * along with the route that imports it. docs/storefront.md describes the contract in words.
 */

/** What the shopper's page is told, in the order a prompt usually goes. */
export const MPESA_STATUSES = ["pending", "paid", "failed", "expired"] as const
export type MpesaStatusValue = (typeof MPESA_STATUSES)[number]

/** What `GET /store/mpesa/payment-sessions/:id` answers. */
export type MpesaStatus = {
  id: string
  status: MpesaStatusValue
  /** For the shopper, as is. */
  message: string
  receipt?: string
  order_id?: string
  /** When the prompt on the phone stops being payable (ISO); absent for an unknown push time. */
  expires_at?: string
}

/**
 * The lifecycle states (the payment session's `data.state`) in which a reloaded page follows
 * the session again: a prompt that may still be live, or a payment whose order is on its way.
 * They are the plugin's attempt states (src/payment/attempt-states.ts); a unit test keeps
 * this list equal to its live states and its paid-in-full one.
 */
export const FOLLOWED_SESSION_STATES = ["pushing", "pending", "paid"] as const

const OPTIONAL_FIELDS = ["receipt", "order_id", "expires_at"] as const

/**
 * Reads a poll's answer: the fields of the contract, each checked, and nothing else. Throws on
 * an answer that does not fit it (a proxy's error page, another route), which a poller treats
 * like a failed request: the next poll asks again.
 */
export function parseMpesaStatus(body: unknown): MpesaStatus {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw notAStatus("not an object")
  }
  const { id, status, message } = body as Record<string, unknown>
  if (typeof id !== "string" || !id) {
    throw notAStatus("no id")
  }
  if (!MPESA_STATUSES.includes(status as MpesaStatusValue)) {
    throw notAStatus(`status ${JSON.stringify(status)}`)
  }
  if (typeof message !== "string") {
    throw notAStatus("no message")
  }
  const parsed: MpesaStatus = { id, status: status as MpesaStatusValue, message }
  for (const key of OPTIONAL_FIELDS) {
    const value = (body as Record<string, unknown>)[key]
    if (value === undefined || value === null) {
      continue
    }
    if (typeof value !== "string" || (key === "expires_at" && Number.isNaN(Date.parse(value)))) {
      throw notAStatus(`${key} ${JSON.stringify(value)}`)
    }
    parsed[key] = value
  }
  return parsed
}

function notAStatus(why: string): Error {
  return new Error(`Not an M-Pesa payment status: ${why}.`)
}
