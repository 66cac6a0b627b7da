import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { listAttempts } from "../../../../workflows/queries/list-attempts"
import { attemptView } from "../attempt-view"
import { parseAttemptQuery } from "../validators"

/**
 * `GET /admin/mpesa/attempts?gateway=&state=&flag=&from=&to=&q=&limit=&offset=` — the ledger,
 * filtered and searched (receipt, order id or #number, cart, session, reference, phone's last
 * digits), newest first: `{ attempts, count, limit, offset }`.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = parseAttemptQuery(req.query)
  const { attempts, count } = await listAttempts(req.scope, query)
  res.json({ attempts: attempts.map((attempt) => attemptView(attempt)), count, limit: query.limit, offset: query.offset })
}
