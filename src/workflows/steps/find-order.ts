import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { cartAndOrderOfCollection } from "../queries/find-order"

/** The cart and order of an attempt's payment collection (queries/find-order.ts). */
export const findOrderStep = createStep(
  "mpesa-find-order",
  async (input: { payment_collection_id: string | null; cart_id?: string | null }, { container }) => {
    return new StepResponse(await cartAndOrderOfCollection(container, input.payment_collection_id, input.cart_id))
  }
)
