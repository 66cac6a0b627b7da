import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { ledgerOf } from "../../../../../modules/mpesa/ledger"
import { callbackListViews } from "../../callback-view"

/** `GET /admin/mpesa/callbacks/:id` — one logged callback, whole, with its payment by order number (404 once the log has pruned it). */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const [callback] = await callbackListViews(req.scope, [await ledgerOf(req.scope).retrieveMpesaCallback(req.params.id)])
  res.json({ callback })
}
