import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"

import { MPESA_ATTEMPT_DECIDED } from "../payment/events"
import type { Attempt } from "../modules/mpesa/ledger"
import { askGatewayStep, checkNotedWithMove, noteCheckStep, type AskedBy } from "./steps/ask-gateway"
import { mirrorVerdictStep } from "./steps/mirror-verdict"
import { moveAttemptStep } from "./steps/move-attempt"

export const recheckMpesaPaymentWorkflowId = "recheck-mpesa-payment"

export type RecheckMpesaPaymentInput = {
  attempt_id: string
  /** Who wants it asked (steps/ask-gateway.ts); a `callback` is also noted on the attempt. Default `job`. */
  asked_by?: AskedBy
  /** The attempt as the caller read it a moment ago (the callback route), so it is not read again. */
  attempt?: Attempt
}

/**
 * The one way the plugin asks the gateway where a payment stands — for the callback route
 * (after it authenticated the callback), the storefront's poll, the one-prompt guard and the
 * recovery job. The answer moves the ledger row along the lifecycle (with the check's
 * bookkeeping in the same write); an attempt that settled is handed to confirm-mpesa-payment
 * by the `mpesa.attempt_decided` event, emitted only once this workflow succeeded (so any
 * process may do that work). An answer that moves nothing is noted on its own.
 */
export const recheckMpesaPaymentWorkflow = createWorkflow(recheckMpesaPaymentWorkflowId, (input: RecheckMpesaPaymentInput) => {
  const asked = askGatewayStep(
    transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id, asked_by: input.asked_by, attempt: input.attempt }))
  )
  const moved = when("mpesa-answered", { asked }, ({ asked }) => asked.asked && "verdict" in asked).then(() =>
    moveAttemptStep(
      transform({ asked, input }, ({ asked, input }) => {
        const { verdict } = asked as Extract<typeof asked, { verdict: unknown }>
        return {
          attempt_id: asked.attempt.id,
          event: verdict.event,
          facts: verdict.facts,
          known: asked.attempt,
          patch: checkNotedWithMove(input.asked_by === "callback"),
        }
      })
    )
  )
  noteCheckStep(transform({ asked, input, moved }, ({ asked, input, moved }) => ({ asked, callback: input.asked_by === "callback", moved: !!moved?.moved })))
  when("mpesa-moved", { moved }, ({ moved }) => !!moved?.moved).then(() => {
    mirrorVerdictStep(transform({ moved }, ({ moved }) => ({ attempt_id: moved!.after.id, attempt: moved!.after })))
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
