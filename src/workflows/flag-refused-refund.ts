import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

import type { MpesaRefundRefused } from "../payment/events"
import { flagAttemptStep } from "./steps/flag-attempt"
import { ledgerOf } from "../modules/mpesa/ledger"

const findRefundedAttemptStep = createStep("mpesa-find-refunded-attempt", async (input: MpesaRefundRefused, { container }) => {
  const ledger = ledgerOf(container)
  const filters = input.reference ? { gateway: input.gateway, reference: input.reference } : input.session_id ? { session_id: input.session_id } : undefined
  const [attempt] = filters ? await ledger.listMpesaAttempts(filters, { take: 1 }) : []
  return new StepResponse(attempt ?? null)
})

export const flagRefusedRefundWorkflowId = "flag-mpesa-refused-refund"

/** Marks the attempt whose payment Medusa tried to refund by itself (`refund_refused`). */
export const flagRefusedRefundWorkflow = createWorkflow(flagRefusedRefundWorkflowId, (input: MpesaRefundRefused) => {
  const attempt = findRefundedAttemptStep(input)
  when("mpesa-attempt-found", { attempt }, ({ attempt }) => !!attempt).then(() => {
    flagAttemptStep(transform({ attempt }, ({ attempt }) => ({ attempt_id: attempt!.id, flags: { refund_refused: true } })))
  })
  return new WorkflowResponse(attempt)
})
