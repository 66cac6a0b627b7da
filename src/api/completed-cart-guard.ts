import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { ledgerOf } from "../modules/mpesa/ledger"

/**
 * `POST /store/carts/:id/complete` for a cart an M-Pesa callback already made an order: the
 * storefront calls it once the poll says "paid" (docs/storefront.md), usually after the order
 * exists. Medusa's route would run its whole completion again — take the cart's lock, read
 * the cart with every field a completion needs, validate it — to find the order the ledger
 * already names. This answers with that order, exactly as Medusa's route does (`{ type:
 * "order", order }`, the fields its query config asks for). The ledger names the order only
 * once the confirmation finished, after Medusa's completion released the cart, so the order
 * answered is the one Medusa's route would answer. Any other cart, or a read that fails,
 * goes on to Medusa's route. Runs after Medusa's query validation (same route, registered later).
 */
export async function completedMpesaCartRoute(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  let order: unknown
  try {
    const orderId = await ledgerOf(req.scope).orderOfCart(req.params.id)
    if (orderId) {
      const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "order",
        fields: req.queryConfig.fields,
        filters: { id: orderId },
      })
      order = data[0]
    }
  } catch {
    order = undefined
  }
  if (!order) {
    return next()
  }
  res.status(200).json({ type: "order", order })
}
