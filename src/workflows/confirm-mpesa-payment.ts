import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { processPaymentWorkflow } from "@medusajs/medusa/core-flows"

import { findOrderForSessionStep } from "./steps/find-order"
import { writeBackSessionStep } from "./steps/write-back-session"

export const confirmMpesaPaymentWorkflowId = "confirm-mpesa-payment"

export type ConfirmMpesaPaymentInput = {
  session_id: string
  /** The session amount (what Medusa captures), not the whole shillings asked. */
  amount: number
  /** What the gateway's status API confirmed, mapped to a session status. */
  status: `${PaymentSessionStatus}`
  /** The session data updated with the status API's answer. */
  data: Record<string, unknown>
}

/**
 * Acts on a payment outcome the gateway's status API confirmed; used by the callback route,
 * the recovery job and the store status route alike.
 *
 * - Paid in full: Medusa's own `processPaymentWorkflow` records the capture and completes the
 *   cart, under a lock on the cart, and is a no-op for a payment already captured or a cart
 *   already completed; so a duplicate callback, the job and the storefront's own `complete`
 *   can all race and the order is still placed once. The order is then looked up: a paid
 *   session whose cart did not become an order is reported (`paid_without_order`).
 * - Anything else confirmed (failed, wrong amount): written into the session, which Medusa's
 *   webhook handling would silently drop.
 */
export const confirmMpesaPaymentWorkflow = createWorkflow(confirmMpesaPaymentWorkflowId, (input: ConfirmMpesaPaymentInput) => {
  when({ input }, ({ input }) => input.status === PaymentSessionStatus.CAPTURED).then(() => {
    processPaymentWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({
        action: PaymentActions.SUCCESSFUL,
        data: { session_id: input.session_id, amount: input.amount },
      })),
    })
  })
  when({ input }, ({ input }) => input.status === PaymentSessionStatus.ERROR || input.status === PaymentSessionStatus.REQUIRES_MORE).then(
    () => {
      writeBackSessionStep(
        transform({ input }, ({ input }) => ({ session_id: input.session_id, status: input.status, data: input.data }))
      )
    }
  )
  const order = findOrderForSessionStep({ session_id: input.session_id })
  const result = transform({ input, order }, ({ input, order }) => ({
    session_id: input.session_id,
    status: input.status,
    cart_id: order.cart_id,
    order_id: order.order_id,
    paid_without_order: input.status === PaymentSessionStatus.CAPTURED && !order.order_id,
  }))
  return new WorkflowResponse(result)
})
