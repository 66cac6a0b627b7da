import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/**
 * Whether Medusa recorded a payment for this payment session — i.e. whether this attempt is
 * what paid the cart's order. Payments outlive the cart's other sessions, so this answers
 * after the order was placed.
 */
export const findPaymentOfSessionStep = createStep("mpesa-find-payment", async (input: { session_id: string | null }, { container }) => {
  if (!input.session_id) {
    return new StepResponse({ paid: false })
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "payment", fields: ["id"], filters: { payment_session_id: input.session_id } })
  return new StepResponse({ paid: data.length > 0 })
})
