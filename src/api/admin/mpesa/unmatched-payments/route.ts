import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { refusalResponse } from "../../../../payment/refusals"
import { unmatchedPayments } from "../../../../workflows/queries/unmatched-payments"
import { parseOr400, UnmatchedPaymentsQuerySchema } from "../validators"

/**
 * `GET /admin/mpesa/unmatched-payments?provider_id=` — Paybill and Till payments waiting for an
 * order: credits in the gateway's list (Lipwa) that no attempt in the ledger holds, each with the
 * orders and drafts owing exactly its amount, the payer's phone first. 400
 * `MPESA_NO_TRANSACTION_LIST` for Lipia (no such list); 500 `MPESA_UNAVAILABLE` /
 * `MPESA_RATE_LIMITED` when the list cannot be read.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = parseOr400(UnmatchedPaymentsQuerySchema, req.query, "unmatched payments query")
  try {
    res.json(await unmatchedPayments(req.scope, query.provider_id))
  } catch (error) {
    const answer = refusalResponse(error)
    if (!answer) {
      throw error
    }
    res.status(answer.status).json(answer.body)
  }
}
