import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { ledgerOf } from "../../../../../modules/mpesa/ledger"
import { orderBalance } from "../../../../../workflows/queries/order-balance"
import { mpesaProviders } from "../../../../../workflows/queries/setup-check"
import { attemptViews } from "../../attempt-view"

/**
 * `GET /admin/mpesa/orders/:id` — what the order panel shows, for an order or a draft order:
 * every M-Pesa attempt of its cart and of its own payment collections, newest first, each with
 * its timeline (callbacks as received); what the order still owes (`balance`: outstanding,
 * draft, the phone to prefill); and the M-Pesa providers with their mode (live, sandbox,
 * test). `{ attempts: [] }` for an order never paid by M-Pesa.
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
  const [views, balance, providers] = await Promise.all([attemptViews(req.scope, attempts), order ? orderBalance(req.scope, order.id) : undefined, mpesaProviders(req.scope)])
  res.json({
    attempts: views,
    balance: balance ?? null,
    providers: providers.map(({ provider_id, gateway, label, mode, lists_transactions }) => ({ provider_id, gateway, label, mode, lists_transactions })),
  })
}
