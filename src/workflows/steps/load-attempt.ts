import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { retrieveAttempt } from "../../modules/mpesa/ledger"

export const loadAttemptStep = createStep("mpesa-load-attempt", async (input: { attempt_id: string }, { container }) => {
  return new StepResponse(await retrieveAttempt(container, input.attempt_id))
})
