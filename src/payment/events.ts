/** Emitted once the gateway's status API moved an attempt to a settled state (callback, job or poll). */
export const MPESA_PAYMENT_VERIFIED = "mpesa.payment_verified"

export type MpesaPaymentVerified = { attempt_id: string }

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
