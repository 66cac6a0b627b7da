import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { retrieveAttempt } from "../../../../../modules/mpesa/ledger"
import { attemptView } from "../../attempt-view"

/** `GET /admin/mpesa/attempts/:id` — one attempt with its timeline and what needs the merchant. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json({ attempt: attemptView(await retrieveAttempt(req.scope, req.params.id), true) })
}
