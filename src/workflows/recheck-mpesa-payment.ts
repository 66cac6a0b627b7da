import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"

import { MPESA_PAYMENT_VERIFIED } from "../payment/events"
import { askGatewayStep, noteCheckStep } from "./steps/check-attempt"
import { flagAttemptStep } from "./steps/flag-attempt"
import { moveAttemptStep } from "./steps/move-attempt"

export const recheckMpesaPaymentWorkflowId = "recheck-mpesa-payment"

export type RecheckMpesaPaymentInput = {
  attempt_id: string
  /** A verified callback: ask about a failed or expired attempt too (its money may have arrived), and note when it came. */
  callback?: boolean
  /** Asked on a shopper's or an outsider's behalf: at most once every few seconds per attempt (check-attempt.ts). */
  spaced?: boolean
}

/**
 * The one way the plugin asks the gateway where a payment stands — for the callback route
 * (after it authenticated the callback), the storefront's poll, the one-prompt guard and the
 * recovery job. The answer moves the ledger row along the lifecycle; an attempt that settled
 * is handed to confirm-mpesa-payment by the `mpesa.payment_verified` event, emitted only once
 * this workflow succeeded (so any process may do that work).
 */
export const recheckMpesaPaymentWorkflow = createWorkflow(recheckMpesaPaymentWorkflowId, (input: RecheckMpesaPaymentInput) => {
  when("mpesa-callback-received", { input }, ({ input }) => !!input.callback).then(() => {
    flagAttemptStep(transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id, flags: { callback_at: new Date() } }))).config({
      name: "mpesa-note-callback",
    })
  })
  const asked = askGatewayStep(
    transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id, anyUnsettled: input.callback, spaced: input.spaced }))
  )
  noteCheckStep(asked)
  const moved = when("mpesa-answered", { asked }, ({ asked }) => asked.asked && "verdict" in asked).then(() =>
    moveAttemptStep(
      transform({ asked }, ({ asked }) => {
        const { verdict } = asked as Extract<typeof asked, { verdict: unknown }>
        return { attempt_id: asked.attempt.id, event: verdict.event, facts: verdict.facts }
      })
    )
  )
  when("mpesa-moved", { moved }, ({ moved }) => !!moved?.moved).then(() => {
    emitEventStep({
      eventName: MPESA_PAYMENT_VERIFIED,
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
