import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { ledgerOf } from "../modules/mpesa/ledger"

/** As long as Medusa's own `complete` waits for a cart's lock (core-flows complete-cart). */
const CART_LOCK_TIMEOUT_S = 30

/**
 * `POST /store/carts/:id/complete` for a cart an M-Pesa payment paid: the storefront calls it
 * once the poll says "paid" (docs/storefront.md), by when the callback's confirmation has
 * usually made the order, or is making it. Medusa's route would wait for the cart's lock and
 * then run its whole completion again — read the cart with every field a completion needs,
 * validate it — to find that order. This waits for the same lock (Medusa's Locking module, the
 * key Medusa's completion and the plugin's confirmation take), reads the cart's order, and
 * answers with it exactly as Medusa's route does (`{ type: "order", order }`, the fields its
 * query config asks for). Nothing is written. A cart that is not an order once the lock is free
 * (the confirmation has not started, or failed and was rolled back), any other cart, and a
 * read that fails go on to Medusa's route, which completes or refuses as it always does. Runs
 * after Medusa's query validation (same route, registered later).
 */
export async function completedMpesaCartRoute(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  let order: unknown
  try {
    const cartId = req.params.id
    const paid = await ledgerOf(req.scope).paidAttemptsOfCart(cartId)
    if (paid.length) {
      const recorded = paid.find((attempt) => attempt.order_id)?.order_id
      const orderId = recorded ?? (await afterCompletion(req, cartId))
      if (orderId) {
        const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: req.queryConfig.fields, filters: { id: orderId } })
        order = data[0]
      }
    }
  } catch {
    order = undefined
  }
  if (!order) {
    return next()
  }
  res.status(200).json({ type: "order", order })
}

/** The cart's order once no completion holds the cart, as Medusa's completion reads it first (`order_cart`). */
async function afterCompletion(req: MedusaRequest, cartId: string): Promise<string | undefined> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  return req.scope.resolve(Modules.LOCKING).execute(
    cartId,
    async () => {
      const { data } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      return (data[0] as { order_id?: string } | undefined)?.order_id
    },
    { timeout: CART_LOCK_TIMEOUT_S }
  )
}
