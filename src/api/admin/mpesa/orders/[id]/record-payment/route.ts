import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { refusalResponse } from "../../../../../../payment/refusals"
import { recordMpesaPayment } from "../../../../../../workflows/record-mpesa-payment"
import type { Settled } from "../../../../../../workflows/settle-mpesa-payment"
import { attemptView } from "../../../attempt-view"
import { parseOr400, RecordPaymentSchema } from "../../../validators"

/** What the merchant is told when the payment is recorded but not (yet) taken on the order. */
const NOT_TAKEN: Partial<Record<Settled["outcome"], string>> = {
  held: "The payment is recorded, but Medusa could not take it on the order: it is held for you under Needs attention on the M-Pesa page.",
  retry_later: "The payment is recorded; Medusa could not take it on the order yet, and the plugin tries again within a minute.",
}

/**
 * `POST /admin/mpesa/orders/:id/record-payment` `{ provider_id, receipt, amount?, note? }` —
 * records an M-Pesa payment made outside the prompt (Paybill/Till, or a prompt the plugin never
 * saw) against what the order (or draft order) owes, and takes it on the order as Medusa's
 * mark-as-paid would, with the M-Pesa provider. 200 `{ attempt, outcome }`. Refusals keep their
 * catalogue codes and statuses (409 already recorded, not in Lipwa's list, another amount,
 * nothing outstanding, a prompt live; 400 currency or a missing amount/note for Lipia; 404 no
 * such order).
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const body = parseOr400(RecordPaymentSchema, req.body, "payment to record")
  let recorded
  try {
    recorded = await recordMpesaPayment(req.scope, { order_id: req.params.id, ...body, actor_id: req.auth_context?.actor_id ?? "unknown" })
  } catch (error) {
    // Catalogue codes keep their own status (409 already recorded…); Medusa's handler would make every not_allowed a 400.
    const answer = refusalResponse(error)
    if (!answer) {
      throw error
    }
    const retryAfter = (error as { retry_after?: number }).retry_after
    if (retryAfter) {
      res.setHeader("Retry-After", String(retryAfter))
    }
    res.status(answer.status).json({ ...answer.body, ...(retryAfter ? { retry_after: retryAfter } : {}) })
    return
  }
  const { attempt, settled } = recorded
  const message = NOT_TAKEN[settled.outcome]
  res.json({ attempt: attemptView(attempt, true), outcome: settled.outcome, ...(message ? { message } : {}) })
}
