import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { OWING_DAYS, OWING_SCAN, owingOrders } from "../../../../workflows/queries/owing-orders"
import { OwingOrdersQuerySchema, parseOr400 } from "../validators"

/**
 * `GET /admin/mpesa/owing-orders` — orders and drafts that owe money M-Pesa could collect (in KES,
 * in a region with an M-Pesa provider, not cancelled), created in the last 30 days, newest first.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  parseOr400(OwingOrdersQuerySchema, req.query, "owing orders query")
  const orders = (await owingOrders(req.scope)).map(({ phone: _phone, ...order }) => order)
  res.json({ orders, days: OWING_DAYS, scanned: OWING_SCAN })
}
