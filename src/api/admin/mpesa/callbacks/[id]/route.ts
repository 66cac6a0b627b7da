import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { ledgerOf } from "../../../../../modules/mpesa/ledger"

/** `GET /admin/mpesa/callbacks/:id` — one logged callback, whole (404 once the log has pruned it). */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json({ callback: await ledgerOf(req.scope).retrieveMpesaCallback(req.params.id) })
}
