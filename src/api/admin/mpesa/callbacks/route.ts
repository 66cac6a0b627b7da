import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { listCallbacks } from "../../../../workflows/queries/list-callbacks"
import { callbackListViews } from "../callback-view"
import { CallbackQuerySchema, parseOr400 } from "../validators"

/**
 * `GET /admin/mpesa/callbacks?gateway=&matched=&attempt_id=&from=&to=&limit=&offset=` — the
 * callback log, newest first: every callback POSTed to /hooks/mpesa as received (body with
 * phones masked, the headers that matter, whether the URL's signature held, the store's answer).
 * `matched=false` lists those that matched no attempt: forged, misdirected, or for a payment
 * this store never started. `{ callbacks, count, limit, offset }`; a matched callback carries
 * its `payment`: the order's number, receipt and amount the merchant knows it by.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = parseOr400(CallbackQuerySchema, req.query, "M-Pesa callbacks query")
  const { callbacks, count } = await listCallbacks(req.scope, query)
  res.json({ callbacks: await callbackListViews(req.scope, callbacks), count, limit: query.limit, offset: query.offset })
}
