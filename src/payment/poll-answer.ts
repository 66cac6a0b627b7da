import type { MpesaStatus } from "../storefront/contract"
import { shopperView, type AttemptState } from "./attempt"

export type PolledAttempt = {
  state: AttemptState
  message: string | null
  receipt: string | null
  pushed_at: Date | string
  paid_without_order: boolean
  paid_twice: boolean
  unverified: boolean
}

/**
 * What `GET /store/mpesa/payment-sessions/:id` answers about an attempt, in the contract the
 * storefront parses (storefront/contract.ts): the shopper's view of it, the receipt once paid,
 * the order when there is one, and when the prompt stops being payable.
 */
export function pollAnswer(sessionId: string, attempt: PolledAttempt, context: { orderId?: string; promptLifetimeMs: number }): MpesaStatus {
  const { status, message } = shopperView(attempt)
  return {
    id: sessionId,
    status,
    message,
    ...(attempt.receipt && status === "paid" ? { receipt: attempt.receipt } : {}),
    ...(context.orderId ? { order_id: context.orderId } : {}),
    // For the shopper's countdown: after this the prompt can no longer be paid (a late payment still counts).
    expires_at: new Date(new Date(attempt.pushed_at).getTime() + context.promptLifetimeMs).toISOString(),
  }
}
