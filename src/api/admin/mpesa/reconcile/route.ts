import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

import { isMpesaProviderId } from "../../../../workflows/steps/mpesa-provider"
import { reconcileWithGateway } from "../../../../workflows/steps/reconcile-gateway"

const Query = z
  .object({
    provider_id: z.string().refine(isMpesaProviderId, "must be an M-Pesa provider id (pp_mpesa-…)"),
    from: z.coerce.date({ message: "must be a date" }).optional(),
    to: z.coerce.date({ message: "must be a date" }).optional(),
  })
  .strict()

/**
 * `GET /admin/mpesa/reconcile?provider_id=&from=&to=` — the gateway's list of received payments
 * against the ledger: money received that no order holds, and payments the gateway does not
 * know. Lipia has no such list: `{ supported: false, message }`.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = Query.safeParse(req.query)
  if (!query.success) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid reconciliation query — ${query.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; ")}`)
  }
  res.json({ reconciliation: await reconcileWithGateway(req.scope, query.data.provider_id, query.data) })
}
