import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { retrieveAttempt } from "../../../../../modules/mpesa/ledger"
import { attemptViews } from "../../attempt-view"

/** `GET /admin/mpesa/attempts/:id` — one attempt with its timeline (its callbacks as received) and what needs the merchant. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const [attempt] = await attemptViews(req.scope, [await retrieveAttempt(req.scope, req.params.id)])
  res.json({ attempt })
}
