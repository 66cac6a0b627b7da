import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"

import { MPESA_ATTEMPT_DECIDED } from "../payment/events"
import { askGatewayStep, noteCheckStep, type AskedBy } from "./steps/ask-gateway"
import { mirrorVerdictStep } from "./steps/mirror-verdict"
import { moveAttemptStep } from "./steps/move-attempt"

export const recheckMpesaPaymentWorkflowId = "recheck-mpesa-payment"

export type RecheckMpesaPaymentInput = {
  attempt_id: string
  /** Who wants it asked (steps/ask-gateway.ts); a `callback` is also noted on the attempt. Default `job`. */
  asked_by?: AskedBy
}

/**
 * The one way the plugin asks the gateway where a payment stands — for the callback route
 * (after it authenticated the callback), the storefront's poll, the one-prompt guard and the
 * recovery job. The answer moves the ledger row along the lifecycle; an attempt that settled
 * is handed to confirm-mpesa-payment by the `mpesa.attempt_decided` event, emitted only once
 * this workflow succeeded (so any process may do that work).
 */
export const recheckMpesaPaymentWorkflow = createWorkflow(recheckMpesaPaymentWorkflowId, (input: RecheckMpesaPaymentInput) => {
  const asked = askGatewayStep(
    transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id, asked_by: input.asked_by }))
  )
  noteCheckStep(transform({ asked, input }, ({ asked, input }) => ({ asked, callback: input.asked_by === "callback" })))
  const moved = when("mpesa-answered", { asked }, ({ asked }) => asked.asked && "verdict" in asked).then(() =>
    moveAttemptStep(
      transform({ asked }, ({ asked }) => {
        const { verdict } = asked as Extract<typeof asked, { verdict: unknown }>
        return { attempt_id: asked.attempt.id, event: verdict.event, facts: verdict.facts }
      })
    )
  )
  when("mpesa-moved", { moved }, ({ moved }) => !!moved?.moved).then(() => {
    mirrorVerdictStep(transform({ asked }, ({ asked }) => ({ attempt_id: asked.attempt.id })))
    emitEventStep({
      eventName: MPESA_ATTEMPT_DECIDED,
      data: transform({ asked }, ({ asked }) => ({ attempt_id: asked.attempt.id })),
    })
  })
  const result = transform({ asked, moved }, ({ asked, moved }) => ({
    attempt: moved?.after ?? asked.attempt,
    moved: !!moved?.moved,
    verdict: "verdict" in asked ? asked.verdict : undefined,
    error: "error" in asked ? asked.error : undefined,
  }))
  return new WorkflowResponse(result)
})
