import { PaymentSessionStatus } from "@medusajs/framework/utils"

import type { StatusResult } from "../lib/gateway"
import type { MpesaSessionData } from "./session-data"

export type Decision = {
  status: PaymentSessionStatus
  patch: Partial<MpesaSessionData>
}

/**
 * Where a payment session stands, given what the gateway's status API says. The one rule
 * that matters: money is `captured` only when the gateway says paid, with a receipt, for
 * exactly the amount we asked. M-Pesa has no separate capture, so a confirmed payment is
 * `captured` (Medusa then records the capture itself). A different amount is never captured:
 * it is held as `requires_more` and flagged for the merchant.
 */
export function decide(status: StatusResult, requested: number, now: Date = new Date()): Decision {
  const checked_at = now.toISOString()
  switch (status.state) {
    case "paid": {
      if (status.amount === undefined) {
        // A payment we cannot size is not counted; asking again is safe.
        return { status: PaymentSessionStatus.PENDING, patch: { state: "pending", message: status.message, checked_at } }
      }
      const paid = {
        receipt: status.receipt,
        amount_paid: status.amount,
        result_code: status.resultCode ?? 0,
        paid_at: status.settledAt ?? checked_at,
        checked_at,
      }
      if (status.amount !== requested) {
        return {
          status: PaymentSessionStatus.REQUIRES_MORE,
          patch: {
            ...paid,
            state: "amount_mismatch",
            flags: { amount_mismatch: true },
            message: `M-Pesa received KES ${status.amount}, but KES ${requested} was due. The store will contact you to settle the difference.`,
          },
        }
      }
      return { status: PaymentSessionStatus.CAPTURED, patch: { ...paid, state: "paid", outcome: "paid", message: status.message } }
    }
    case "failed":
      return {
        status: PaymentSessionStatus.ERROR,
        patch: {
          state: "failed",
          outcome: status.outcome,
          result_code: status.resultCode,
          message: status.message,
          checked_at,
        },
      }
    default:
      return { status: PaymentSessionStatus.PENDING, patch: { state: "pending", message: status.message, checked_at } }
  }
}
