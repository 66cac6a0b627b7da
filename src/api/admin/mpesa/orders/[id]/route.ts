import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { ledgerOf } from "../../../../../modules/mpesa/ledger"
import { attemptView } from "../../attempt-view"

/**
 * `GET /admin/mpesa/orders/:id` — every M-Pesa attempt of an order's cart (and of its own
 * payment collections), newest first, each with its timeline: what the order panel shows.
 * `{ attempts: [] }` for an order not paid by M-Pesa.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "payment_collections.id", "cart.id"],
    filters: { id: req.params.id },
  })
  const order = data[0]
  const collections: string[] = (order?.payment_collections ?? []).map((c: { id: string } | null) => c?.id).filter(Boolean)
  const or = [{ order_id: req.params.id }, ...(order?.cart?.id ? [{ cart_id: order.cart.id }] : []), ...(collections.length ? [{ payment_collection_id: collections }] : [])]
  const attempts = await ledgerOf(req.scope).listMpesaAttempts({ $or: or }, { order: { pushed_at: "DESC" }, take: 50 })
  res.json({ attempts: attempts.map((attempt) => attemptView(attempt, true)) })
}
