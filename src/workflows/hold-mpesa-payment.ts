import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

import { sessionUpdateOf } from "./session-data-of"
import { findOrderStep } from "./steps/find-order"
import { flagAttemptStep } from "./steps/flag-attempt"
import { loadAttemptStep } from "./steps/load-attempt"
import { loadSessionStep } from "./steps/load-session"
import { writeBackSessionStep } from "./steps/write-back-session"

export const holdMpesaPaymentWorkflowId = "hold-mpesa-payment"

/**
 * A paid attempt whose cart could not become an order (stock gone, a price changed, the
 * session replaced): flagged `paid_without_order` once, and its session marked held so that
 * neither the job nor a storefront retry completes the cart later by itself — a merchant who
 * reversed the money and then restocked must not find an order placed for free. The merchant
 * decides (the admin view's job). If the order did appear meanwhile (e.g. the storefront's own
 * `complete` won the cart lock while confirmation timed out waiting for it), it is recorded
 * instead and nothing is held.
 */
export const holdMpesaPaymentWorkflow = createWorkflow(holdMpesaPaymentWorkflowId, (input: { attempt_id: string }) => {
  const attempt = loadAttemptStep(input)
  const where = findOrderStep(transform({ attempt }, ({ attempt }) => ({ payment_collection_id: attempt.payment_collection_id })))
  const session = loadSessionStep(transform({ attempt }, ({ attempt }) => ({ session_id: attempt.session_id })))
  when("mpesa-hold-session", { session, where }, ({ session, where }) => !!session && (!where.order_id || !!where.draft)).then(() => {
    writeBackSessionStep(
      transform({ attempt, session }, ({ attempt, session }) => ({ session_id: session!.id, ...sessionUpdateOf(attempt, session!.data, true) }))
    )
  })
  const flagged = flagAttemptStep(
    transform({ attempt, where }, ({ attempt, where }) => ({
      attempt_id: attempt.id,
      // A draft order that could not be converted is not an order: held like a cart.
      flags: where.order_id && !where.draft ? { order_id: where.order_id, paid_without_order: false } : { paid_without_order: true },
    }))
  )
  return new WorkflowResponse(flagged)
})
