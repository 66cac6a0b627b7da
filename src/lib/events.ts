import type { PaymentSessionStatus } from "@medusajs/framework/utils"

/** Emitted once the gateway's status API confirmed a payment's outcome (callback, job or poll). */
export const MPESA_PAYMENT_VERIFIED = "mpesa.payment_verified"

export type MpesaPaymentVerified = {
  session_id: string
  amount: number
  status: `${PaymentSessionStatus}`
  data: Record<string, unknown>
}

/** Emitted by a provider for every STK push the gateway accepted; the ledger records it. */
export const MPESA_STK_PUSHED = "mpesa.stk_pushed"

export type MpesaStkPushed = {
  session_id: string
  gateway: "lipia" | "lipwa"
  reference: string
  callback_reference: string
  checkout_id?: string
  phone_masked: string
  phone_hash: string
  amount_requested: number
  pushed_at: string
}
