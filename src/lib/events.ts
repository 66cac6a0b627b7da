import type { PaymentSessionStatus } from "@medusajs/framework/utils"

/** Emitted once the gateway's status API confirmed a payment's outcome (callback, job or poll). */
export const MPESA_PAYMENT_VERIFIED = "mpesa.payment_verified"

export type MpesaPaymentVerified = {
  session_id: string
  amount: number
  status: `${PaymentSessionStatus}`
  data: Record<string, unknown>
}
