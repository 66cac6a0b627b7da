import { MedusaError } from "@medusajs/framework/utils"

/**
 * Every `MPESA_*` code the plugin answers with: the Medusa error type, the HTTP status the
 * caller sees, and the default message (in the shopper's words where a shopper sees it). The
 * README's "Error codes" table is checked against this list by a test.
 *
 * HTTP follows Medusa's error handler (framework http/middlewares/error-handler.js):
 * invalid_data / not_allowed → 400, unauthorized → 401, not_found → 404, unexpected_state →
 * 500. The 409s, 429 and 503 are answered by the plugin's own routes, which set them directly
 * (Medusa replaces a `conflict` error's message with its idempotency text).
 */
type Entry = { type: string; http: number; message: string }

const T = MedusaError.Types
const UNAVAILABLE = "M-Pesa is not available right now. Try again, or choose another payment method."

export const REFUSALS = {
  // Starting a payment (POST /store/payment-collections/:id/payment-sessions)
  MPESA_MISSING_PHONE: { type: T.INVALID_DATA, http: 400, message: "Enter the M-Pesa phone number to pay with." },
  MPESA_INVALID_PHONE: { type: T.INVALID_DATA, http: 400, message: "Enter a valid Safaricom M-Pesa number, for example 0712 345 678." },
  MPESA_NOT_SAFARICOM: { type: T.INVALID_DATA, http: 400, message: "M-Pesa needs a Safaricom number." },
  MPESA_UNSUPPORTED_CURRENCY: { type: T.INVALID_DATA, http: 400, message: "M-Pesa takes payments in Kenyan shillings (KES) only." },
  MPESA_FRACTIONAL_AMOUNT: { type: T.INVALID_DATA, http: 400, message: "M-Pesa takes whole shillings only." },
  MPESA_AMOUNT_TOO_SMALL: { type: T.INVALID_DATA, http: 400, message: "The amount is below the M-Pesa minimum." },
  MPESA_AMOUNT_TOO_LARGE: { type: T.INVALID_DATA, http: 400, message: "The amount is above the M-Pesa maximum." },
  MPESA_INVALID_AMOUNT: { type: T.INVALID_DATA, http: 400, message: "The amount to pay is not valid." },
  MPESA_GATEWAY_REJECTED: { type: T.NOT_ALLOWED, http: 400, message: "M-Pesa declined the payment request. Try again, or choose another payment method." },
  MPESA_RATE_LIMITED: { type: T.UNEXPECTED_STATE, http: 500, message: "M-Pesa is busy right now. Try again in a few seconds." },
  MPESA_UNAVAILABLE: { type: T.UNEXPECTED_STATE, http: 500, message: UNAVAILABLE },
  MPESA_GATEWAY_VALIDATION: { type: T.UNEXPECTED_STATE, http: 500, message: UNAVAILABLE },
  MPESA_PAYMENT_IN_PROGRESS: {
    type: T.NOT_ALLOWED,
    http: 409,
    message: "A payment prompt is already on your phone. Complete or cancel it, or wait for it to expire, before starting again.",
  },
  MPESA_PAYMENT_RECEIVED: {
    type: T.NOT_ALLOWED,
    http: 409,
    message: "Your M-Pesa payment for this cart was already received. Do not pay again; the store will confirm your order.",
  },
  MPESA_TOO_MANY_PROMPTS: {
    type: T.NOT_ALLOWED,
    http: 429,
    message: "Too many payment prompts were sent to this phone. Wait a few minutes, then try again.",
  },
  MPESA_SESSION_LOCKED: {
    type: T.NOT_ALLOWED,
    http: 409,
    message: "Your payment is already being started. Wait a moment, then check your phone.",
  },
  // The merchant's desk (POST /admin/mpesa/orders/:id/request-payment)
  MPESA_NOTHING_OUTSTANDING: { type: T.NOT_ALLOWED, http: 409, message: "Nothing is outstanding on this order: there is no amount to ask for." },
  MPESA_ORDER_NOT_PAYABLE: { type: T.NOT_ALLOWED, http: 409, message: "This order is cancelled: no payment can be asked for it." },
  MPESA_AMOUNT_CHANGED: { type: T.NOT_ALLOWED, http: 409, message: "What the order owes changed since it was shown: check the new amount, then send the prompt again." },
  // …and POST /admin/mpesa/orders/:id/record-payment (a payment made outside the prompt)
  MPESA_RECEIPT_ALREADY_RECORDED: { type: T.NOT_ALLOWED, http: 409, message: "This M-Pesa receipt is already recorded: one payment can pay only once." },
  MPESA_RECEIPT_NOT_FOUND: { type: T.NOT_ALLOWED, http: 409, message: "This M-Pesa receipt is not among the payments the gateway lists for this account." },
  MPESA_RECEIPT_NOT_A_PAYMENT: { type: T.NOT_ALLOWED, http: 409, message: "This M-Pesa transaction is money going out of the account, not a customer's payment." },
  MPESA_RECEIPT_TOO_OLD: { type: T.NOT_ALLOWED, http: 409, message: "This M-Pesa payment was made before the order existed: it paid something else." },
  MPESA_CLAIM_NOT_ACCEPTABLE: { type: T.NOT_ALLOWED, http: 409, message: "Only an unverified payment claim that is still open can be accepted." },
  MPESA_RECEIPT_AMOUNT_MISMATCH: { type: T.NOT_ALLOWED, http: 409, message: "The payment is not for exactly what the order owes." },
  // …and GET /admin/mpesa/unmatched-payments (Paybill and Till payments waiting for an order)
  MPESA_NO_TRANSACTION_LIST: { type: T.NOT_ALLOWED, http: 400, message: "This gateway has no API that lists the account's transactions." },
  // Refunds and cancellations (admin)
  MPESA_REFUND_NOT_SUPPORTED: { type: T.NOT_ALLOWED, http: 400, message: "M-Pesa payments cannot be refunded through the aggregator." },
  MPESA_REFUND_NOT_REQUESTED: {
    type: T.NOT_ALLOWED,
    http: 400,
    message: "Medusa tried to refund an M-Pesa payment by itself; nothing was refunded or recorded. The payment is flagged for the merchant.",
  },
  MPESA_REFUND_REQUIRED: { type: T.NOT_ALLOWED, http: 400, message: "Refund the M-Pesa payment before cancelling the order." },
  // Callbacks (POST /hooks/mpesa/:gateway) — answered to the aggregator, logged for the merchant
  MPESA_BAD_SIGNATURE: { type: T.UNAUTHORIZED, http: 401, message: "The callback URL's signature is missing or wrong." },
  MPESA_MALFORMED_CALLBACK: { type: T.INVALID_DATA, http: 400, message: "The callback body is not the gateway's documented shape." },
  MPESA_CALLBACK_MISMATCH: { type: T.INVALID_DATA, http: 400, message: "The callback's reference belongs to another payment." },
  MPESA_CALLBACK_UNCONFIRMED: { type: T.NOT_ALLOWED, http: 409, message: "The gateway's status API does not confirm the callback; nothing was changed." },
  MPESA_STATUS_UNAVAILABLE: { type: T.UNEXPECTED_STATE, http: 503, message: "The gateway's status API could not be asked; try again." },
  // Polling (GET /store/mpesa/payment-sessions/:id)
  MPESA_NOT_FOUND: { type: T.NOT_FOUND, http: 404, message: "No M-Pesa payment with that id." },
} satisfies Record<string, Entry>

export type RefusalCode = keyof typeof REFUSALS

/** A `MedusaError` carrying a catalogue code (and the catalogue's message unless one is given). */
export function refusal(code: RefusalCode, message?: string): MedusaError {
  const entry = REFUSALS[code]
  return new MedusaError(entry.type, message ?? entry.message, code)
}

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(REFUSALS, code)
}

/**
 * The HTTP answer for an error thrown on a plugin route: catalogue codes get their own status
 * and body; anything else is left to Medusa's error handler.
 */
export function refusalResponse(error: unknown): { status: number; body: Record<string, unknown> } | undefined {
  const code = (error as { code?: unknown })?.code
  if (!isRefusalCode(code) || !MedusaError.isMedusaError(error as Error)) {
    return undefined
  }
  const entry = REFUSALS[code]
  return { status: entry.http, body: { type: entry.type, code, message: (error as Error).message } }
}

/**
 * An error as a workflow run hands it back (a step's throw may come back as a copy: across the
 * workflow engine only its fields survive), made a catalogue refusal again when it carries a code.
 */
export function asRefusal(error: unknown): unknown {
  const { code, message, retry_after } = (error ?? {}) as { code?: unknown; message?: unknown; retry_after?: unknown }
  if (!isRefusalCode(code) || MedusaError.isMedusaError(error as Error)) {
    return error
  }
  return Object.assign(refusal(code, typeof message === "string" ? message : undefined), typeof retry_after === "number" ? { retry_after } : {})
}
