import type { GatewayName } from "../gateways/gateway"
import type { Outcome } from "../lib/result-codes"
import type { AttemptState, STATE } from "../payment/attempt"
import type { RecordedRefund } from "../payment/refunds"

/**
 * What an M-Pesa payment session stores in Medusa. Session data is readable by the storefront
 * (store carts expose `payment_collection.payment_sessions`), so it holds only what the shopper
 * may see: never the API key, the callback secret, or the full phone number.
 */
export type MpesaSessionData = {
  session_id: string
  /** The ledger row the plugin wrote before the push (absent for sessions started elsewhere). */
  attempt_id?: string
  gateway: GatewayName
  /** The gateway's id for status queries (Lipia TransactionReference, Lipwa CheckoutRequestID). */
  reference: string
  /** What the gateway's callback carries to identify this push. */
  callback_reference: string
  checkout_id?: string
  /** Masked (2547******78). Also overwrites the `phone_number`/`phone` the storefront sent. */
  phone: string
  phone_number: string
  /** Whole shillings asked of the shopper. */
  amount_requested: number
  /** The Medusa total, when it was rounded up to `amount_requested`. */
  amount_due?: number
  currency_code: "kes"
  /** The attempt's lifecycle state (payment/attempt.ts). */
  state: AttemptState
  /** For the shopper. */
  message: string
  outcome?: Outcome
  result_code?: number
  receipt?: string
  amount_paid?: number
  flags?: { amount_mismatch?: boolean; paid_without_order?: boolean }
  /** Paid, but the cart could not become an order: held for the merchant, never authorized again by automation. */
  hold?: boolean
  pushed_at: string
  checked_at?: string
  paid_at?: string
  canceled_at?: string
  refunds?: RecordedRefund[]
  /** Set once a push's fate was unknown and cleared once the gateway's references are known. */
  push_unconfirmed?: boolean
  /**
   * A payment made outside any prompt (Paybill/Till) that the merchant recorded by its receipt:
   * no push was sent, and `reference` is the ledger attempt's id (there is no gateway reference).
   */
  recorded?: true
}

/**
 * A push whose answer never came (a timeout) or came back unreadable: the prompt may be on
 * the phone, but the gateway's reference for it is unknown until a callback names it.
 */
export type UnconfirmedSessionData = Omit<MpesaSessionData, "reference" | "callback_reference" | "state"> & {
  callback_reference?: string
  state: typeof STATE.pushing
  push_unconfirmed: true
}

export function isUnconfirmedSessionData(data: unknown): data is UnconfirmedSessionData {
  const d = data as Partial<UnconfirmedSessionData> | undefined
  return !!d && d.push_unconfirmed === true && typeof (d as { reference?: unknown }).reference !== "string"
}

/**
 * The session data the provider hands Medusa: exactly `data`, and nothing else the caller
 * sent. Medusa stores `{ ...what the storefront sent, ...what the provider returned }`
 * (payment-module createPaymentSession), so a key the storefront planted (`refund_request`,
 * `receipt`, `hold`, `state`…) would reach the session and later the Payment; each is
 * returned here as undefined, which the stored JSON drops.
 */
export function withoutOtherKeys<T extends object>(sent: Record<string, unknown>, data: T): T {
  const dropped = Object.fromEntries(Object.keys(sent).filter((key) => !(key in data)).map((key) => [key, undefined]))
  return { ...dropped, ...data }
}

export type { RefundRequest } from "../payment/refunds"

export function isMpesaSessionData(data: unknown): data is MpesaSessionData {
  const d = data as Partial<MpesaSessionData> | undefined
  return !!d && typeof d.reference === "string" && typeof d.amount_requested === "number" && !!d.gateway
}
