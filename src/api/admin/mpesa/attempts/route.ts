import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { listAttempts } from "../../../../workflows/queries/list-attempts"
import { attemptListViews } from "../attempt-view"
import { parseAttemptQuery } from "../validators"

/**
 * `GET /admin/mpesa/attempts?gateway=&state=&flag=&from=&to=&q=&limit=&offset=` — the ledger,
 * filtered and searched as customers describe a payment (their phone number in any spelling,
 * matched through the ledger's keyed hash; the order's #number; the receipt in any case) or by
 * id, newest first: `{ attempts, count, limit, offset }`, each with its order's number.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = parseAttemptQuery(req.query)
  const { attempts, count } = await listAttempts(req.scope, query)
  res.json({ attempts: await attemptListViews(req.scope, attempts), count, limit: query.limit, offset: query.offset })
}
