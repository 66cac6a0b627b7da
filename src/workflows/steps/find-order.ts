import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/** The order a payment session's cart became, if any (payment_session → collection → cart → order). */
export const findOrderForSessionStep = createStep(
  "mpesa-find-order-for-session",
  async (input: { session_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "payment_session",
      fields: ["id", "payment_collection.id", "payment_collection.cart.id", "payment_collection.cart.order.id"],
      filters: { id: input.session_id },
    })
    const cart = data[0]?.payment_collection?.cart
    return new StepResponse({ cart_id: cart?.id as string | undefined, order_id: cart?.order?.id as string | undefined })
  }
)
