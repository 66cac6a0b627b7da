import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, completeCartWorkflow, processPaymentWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"

import { findOrderForSessionStep } from "./steps/find-order"
import { reopenSessionStep } from "./steps/reopen-session"
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
 * the recovery job and the store status route alike (through the reconcile subscriber).
 *
 * - Paid in full: the cart is completed (see below) and the order looked up; a paid session
 *   whose cart did not become an order is reported (`paid_without_order`).
 * - Anything else confirmed (failed, expired, wrong amount): written into the session, which
 *   Medusa's own webhook handling would silently drop.
 */
export const confirmMpesaPaymentWorkflow = createWorkflow(confirmMpesaPaymentWorkflowId, (input: ConfirmMpesaPaymentInput) => {
  const before = findOrderForSessionStep({ session_id: input.session_id })
  const paid = transform({ input, before }, ({ input, before }) => ({
    status: input.status,
    cart_id: before.cart_id,
    order_id: before.order_id,
  }))

  // Paid, for a cart not yet ordered: complete it exactly as the storefront would. Both take
  // the same lock on the cart, the workflow returns the existing order when there is one, and
  // its authorization asks our provider (the status API) and records the capture — so a
  // callback, the job and the storefront's `complete` racing each other make one order.
  when({ paid }, ({ paid }) => paid.status === PaymentSessionStatus.CAPTURED && !!paid.cart_id && !paid.order_id).then(() => {
    const cartId = transform({ paid }, ({ paid }) => paid.cart_id as string)
    // completeCartWorkflow skips its own lock when run as a sub-workflow
    // (core-flows locking/steps/acquire-lock.js), so the same lock is taken here.
    acquireLockStep({ key: cartId, timeout: 30, ttl: 120 })
    reopenSessionStep(transform({ input }, ({ input }) => ({ session_id: input.session_id, data: input.data })))
    completeCartWorkflow.runAsStep({ input: transform({ cartId }, ({ cartId }) => ({ id: cartId })) })
    releaseLockStep({ key: cartId })
  })
  // Paid, for a payment collection with no cart (e.g. an order's additional payment): let
  // Medusa's own webhook workflow record the authorization and capture.
  when({ paid }, ({ paid }) => paid.status === PaymentSessionStatus.CAPTURED && !paid.cart_id).then(() => {
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
  const after = findOrderForSessionStep({ session_id: input.session_id }).config({ name: "mpesa-find-order-after" })
  const result = transform({ input, after }, ({ input, after }) => ({
    session_id: input.session_id,
    status: input.status,
    cart_id: after.cart_id,
    order_id: after.order_id,
    paid_without_order: input.status === PaymentSessionStatus.CAPTURED && !after.order_id,
  }))
  return new WorkflowResponse(result)
})
