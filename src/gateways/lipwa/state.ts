import type { PaymentState } from "../gateway"
import type { LipwaStatusWord } from "./schemas"

/**
 * Lipwa's status words (reference/lipwa-api.txt, "Payment Status Types") to our states.
 * `payment.success` counts as paid only with a receipt: a success without an M-Pesa receipt
 * contradicts itself and is asked again rather than counted.
 */
export function lipwaState(status: LipwaStatusWord, receipt: string | undefined): PaymentState {
  switch (status) {
    case "payment.success":
      return receipt ? "paid" : "pending"
    case "payment.failed":
      return "failed"
    default:
      return "pending"
  }
}
