import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"

import { EXPIRED_MESSAGE } from "../payment/attempt"
import { MPESA_ATTEMPT_DECIDED } from "../payment/events"
import { mirrorVerdictStep } from "./steps/mirror-verdict"
import { moveAttemptStep } from "./steps/move-attempt"

export const expireMpesaAttemptWorkflowId = "expire-mpesa-attempt"

/**
 * A prompt nobody answered within its lifetime is expired, so the shopper may start again
 * (its session says so at once). Only a `pushing` or `pending`
 * attempt moves: one that was paid meanwhile stays paid. An expired attempt is still checked
 * for a grace period, so a late success is found even if its callback never comes.
 */
export const expireMpesaAttemptWorkflow = createWorkflow(expireMpesaAttemptWorkflowId, (input: { attempt_id: string }) => {
  const moved = moveAttemptStep(
    transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id, event: "lifetime_elapsed" as const, facts: { message: EXPIRED_MESSAGE } }))
  )
  when("mpesa-expired", { moved }, ({ moved }) => moved.moved).then(() => {
    mirrorVerdictStep(transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id })))
    emitEventStep({ eventName: MPESA_ATTEMPT_DECIDED, data: transform({ input }, ({ input }) => ({ attempt_id: input.attempt_id })) })
  })
  return new WorkflowResponse(moved)
})
