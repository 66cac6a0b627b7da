import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

import { redactPhones } from "../lib/phone"
import { flagAttemptStep } from "./steps/flag-attempt"
import { loadAttemptStep } from "./steps/load-attempt"

export const resolveMpesaAttemptWorkflowId = "resolve-mpesa-attempt"

/**
 * The merchant closed a flagged payment's case: who, when and how stay in the ledger. The note
 * is free text, often pasted from a chat with the customer: phone numbers in it are masked
 * before it is written (the ledger and its CSV export hold no whole number).
 */
export const resolveMpesaAttemptWorkflow = createWorkflow(
  resolveMpesaAttemptWorkflowId,
  (input: { attempt_id: string; note: string; actor: string }) => {
    const attempt = loadAttemptStep(input)
    return new WorkflowResponse(
      flagAttemptStep(
        transform({ input, attempt }, ({ input, attempt }) => ({
          attempt_id: attempt.id,
          flags: { resolved_at: new Date(), resolved_by: input.actor, resolution_note: redactPhones(input.note) },
        }))
      )
    )
  }
)
