import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { reconcileWithGateway } from "../../../../workflows/queries/reconcile-gateway"
import { parseOr400, ReconcileQuerySchema } from "../validators"

/**
 * `GET /admin/mpesa/reconcile?provider_id=&from=&to=` — the gateway's list of received payments
 * against the ledger: money received that no order holds, and payments the gateway does not
 * know. Lipia has no such list: `{ supported: false, message }`.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = parseOr400(ReconcileQuerySchema, req.query, "reconciliation query")
  res.json({ reconciliation: await reconcileWithGateway(req.scope, query.provider_id, query) })
}
