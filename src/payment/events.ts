/**
 * Emitted once an attempt's outcome is decided — by the gateway's status API (paid, wrong
 * amount, failed: a callback, the job or a poll asked) or by the clock (expired) — and recorded
 * in the ledger and the session. Its subscriber settles it (settle-mpesa-payment).
 */
export const MPESA_ATTEMPT_DECIDED = "mpesa.attempt_decided"

export type MpesaAttemptDecided = { attempt_id: string }

/**
 * Emitted by a provider when Medusa tried to refund an M-Pesa payment that nobody asked to
 * refund (a cart-completion compensation); the ledger flags the attempt for the merchant.
 */
export const MPESA_REFUND_REFUSED = "mpesa.refund_refused"

export type MpesaRefundRefused = {
  gateway: "lipia" | "lipwa"
  session_id: string | null
  reference: string | null
  receipt: string | null
  amount: number
}
