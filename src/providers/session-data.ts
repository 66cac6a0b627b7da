import type { Outcome } from "../lib/result-codes"
import type { GatewayName } from "../lib/gateway"

/**
 * What an M-Pesa payment session stores in Medusa. Session data is readable by the storefront
 * (store carts expose `payment_collection.payment_sessions`), so it holds only what the shopper
 * may see: never the API key, the callback secret, or the full phone number.
 */
export type MpesaSessionState = "pending" | "paid" | "failed" | "amount_mismatch" | "canceled"

export type MpesaSessionData = {
  session_id: string
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
  state: MpesaSessionState
  /** For the shopper. */
  message: string
  outcome?: Outcome
  result_code?: number
  receipt?: string
  amount_paid?: number
  flags?: { amount_mismatch?: boolean }
  pushed_at: string
  checked_at?: string
  paid_at?: string
  canceled_at?: string
  refunds?: Array<{ amount: number; refund_id?: string; recorded_at: string; note: string }>
}

export function isMpesaSessionData(data: unknown): data is MpesaSessionData {
  const d = data as Partial<MpesaSessionData> | undefined
  return !!d && typeof d.reference === "string" && typeof d.amount_requested === "number" && !!d.gateway
}
