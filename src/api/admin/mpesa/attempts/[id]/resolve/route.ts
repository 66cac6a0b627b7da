import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { resolveMpesaAttemptWorkflow } from "../../../../../../workflows/resolve-mpesa-attempt"
import { attemptViews } from "../../../attempt-view"
import { parseOr400, ResolveSchema } from "../../../validators"

/**
 * `POST /admin/mpesa/attempts/:id/resolve` `{ note }` — the merchant settled a flagged payment
 * outside automation (reversed it, collected the difference, placed the order by hand). The
 * note (phone numbers in it masked), who and when stay in the ledger; the attempt leaves
 * "needs attention".
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { note } = parseOr400(ResolveSchema, req.body, "resolution")
  const { result } = await resolveMpesaAttemptWorkflow(req.scope).run({
    input: { attempt_id: req.params.id, note, actor: req.auth_context?.actor_id ?? "unknown" },
  })
  res.json({ attempt: (await attemptViews(req.scope, [result]))[0] })
}
