import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { cartAndOrderOfSession } from "../../lib/sessions"

/** The cart a payment session pays for, and the order it became, if any. */
export const findOrderForSessionStep = createStep(
  "mpesa-find-order-for-session",
  async (input: { session_id: string }, { container }) => {
    return new StepResponse(await cartAndOrderOfSession(container, input.session_id))
  }
)
