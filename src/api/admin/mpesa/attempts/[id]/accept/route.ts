import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { refusalResponse } from "../../../../../../payment/refusals"
import { acceptMpesaClaim } from "../../../../../../workflows/accept-mpesa-claim"
import { attemptViews } from "../../../attempt-view"
import { AcceptClaimSchema, parseOr400 } from "../../../validators"

/**
 * `POST /admin/mpesa/attempts/:id/accept` `{ note }` — the merchant checked an unverified
 * payment claim in the gateway's portal and accepts it: it pays its order (or cart) exactly
 * once, marked as attested by them with the note. 200 `{ attempt, outcome }`; 409
 * `MPESA_CLAIM_NOT_ACCEPTABLE` for anything but an open unverified claim for the amount asked.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { note } = parseOr400(AcceptClaimSchema, req.body, "acceptance")
  let accepted
  try {
    accepted = await acceptMpesaClaim(req.scope, { attempt_id: req.params.id, note, actor: req.auth_context?.actor_id ?? "unknown" })
  } catch (error) {
    const answer = refusalResponse(error)
    if (!answer) {
      throw error
    }
    res.status(answer.status).json(answer.body)
    return
  }
  res.json({ attempt: (await attemptViews(req.scope, [accepted.attempt]))[0], outcome: accepted.settled.outcome })
}
