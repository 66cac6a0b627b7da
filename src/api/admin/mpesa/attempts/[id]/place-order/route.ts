import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { placeMpesaOrder } from "../../../../../../workflows/place-mpesa-order"
import { attemptViews } from "../../../attempt-view"

/**
 * `POST /admin/mpesa/attempts/:id/place-order` — for a payment held as "paid without order"
 * whose cart can now be fulfilled: completes the cart under its lock, with the payment already
 * received (the gateway is asked again; nothing is charged twice). If it still cannot be placed,
 * the payment stays held and the answer says why (409). An attempt that is not held, already
 * became an order, or that the merchant resolved is refused with 409 and nothing is done.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { attempt, order_id, error, refused } = await placeMpesaOrder(req.scope, req.params.id)
  res.status(order_id ? 200 : 409).json({ attempt: (await attemptViews(req.scope, [attempt]))[0], ...(order_id ? { order_id } : { message: refused ?? error }) })
}
