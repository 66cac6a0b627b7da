import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, convertDraftOrderWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"

import { isPaidInFull } from "../payment/attempt"
import { retrieveAttempt } from "../modules/mpesa/ledger"
import { orderBalance } from "./queries/order-balance"
import { flagAttemptStep } from "./steps/flag-attempt"

export const convertPaidMpesaDraftWorkflowId = "convert-paid-mpesa-draft"

/**
 * Read again under the lock: another process may have converted the draft a moment ago (the
 * callback and the recovery job, or two callbacks). Convert only a draft that is still a draft
 * and owes nothing — a draft edited upwards after the prompt was sent still owes the difference.
 */
const checkDraftStep = createStep("mpesa-check-paid-draft", async (input: { order_id: string; attempt_id: string }, { container }) => {
  const attempt = await retrieveAttempt(container, input.attempt_id)
  const balance = await orderBalance(container, input.order_id)
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "is_draft_order"],
    filters: { id: input.order_id },
  })
  const draft = !!data[0]?.is_draft_order
  return new StepResponse({
    convert: draft && isPaidInFull(attempt.state) && !!balance && balance.outstanding <= 0,
    still_owes: draft && !!balance && balance.outstanding > 0 ? balance.outstanding : 0,
    was_draft: draft,
  })
})

/**
 * A draft order paid in full by M-Pesa becomes an order, exactly once. Medusa's own conversion
 * (convertDraftOrderWorkflow: tax lines, inventory reservation, `order.placed`) runs under the
 * same lock it takes itself — the order id; its own lock is skipped when it runs as a step —
 * held across processes by the Locking module, with the draft read again inside, so concurrent
 * settlers convert once and the others find an order. The attempt then records the order.
 */
export const convertPaidMpesaDraftWorkflow = createWorkflow(convertPaidMpesaDraftWorkflowId, (input: { order_id: string; attempt_id: string }) => {
  acquireLockStep({ key: input.order_id, timeout: 30, ttl: 120 })
  const check = checkDraftStep(input)
  when("mpesa-convert-draft", { check }, ({ check }) => check.convert).then(() => {
    convertDraftOrderWorkflow.runAsStep({ input: transform({ input }, ({ input }) => ({ id: input.order_id })) })
  })
  // Converted now or before, or a draft that still owes more: the payment is recorded on this
  // order either way (the payment that settles the rest converts it), so the recovery job stops
  // settling this attempt again. A conversion that failed leaves it unrecorded, to be retried.
  flagAttemptStep(transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id, flags: { order_id: input.order_id, paid_without_order: false } })))
  releaseLockStep({ key: input.order_id })
  return new WorkflowResponse(check)
})
