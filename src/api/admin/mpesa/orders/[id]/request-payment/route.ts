import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { refusalResponse } from "../../../../../../payment/refusals"
import { requestMpesaPayment } from "../../../../../../workflows/request-mpesa-payment"
import { attemptView } from "../../../attempt-view"
import { parseOr400, RequestPaymentSchema } from "../../../validators"

/**
 * `POST /admin/mpesa/orders/:id/request-payment` `{ provider_id, phone?, expected_amount? }` —
 * sends the customer an STK prompt for what the order (or draft order) still owes. 200
 * `{ attempt }` (follow it with `GET /admin/mpesa/attempts/:id`); 409 MPESA_AMOUNT_CHANGED when
 * `expected_amount` (what the panel's button showed) is no longer what is owed — nothing is
 * sent; the start-payment guard's refusals keep their codes and statuses (409 a prompt is live
 * or the payment was received, 429 too many prompts to the phone, 400 phone or amount rules),
 * in the merchant's words.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const body = parseOr400(RequestPaymentSchema, req.body, "payment request")
  let result
  try {
    result = await requestMpesaPayment(req.scope, { order_id: req.params.id, ...body, actor_id: req.auth_context?.actor_id })
  } catch (error) {
    // Catalogue codes keep their own status (409 nothing outstanding…); Medusa's handler would make every not_allowed a 400.
    const answer = refusalResponse(error)
    if (!answer) {
      throw error
    }
    res.status(answer.status).json(answer.body)
    return
  }
  if ("refused" in result) {
    const { status, retry_after, ...refused } = result.refused
    if (retry_after) {
      res.setHeader("Retry-After", String(retry_after))
    }
    res.status(status).json({ type: "not_allowed", ...refused, ...(retry_after ? { retry_after } : {}) })
    return
  }
  res.json({ attempt: attemptView(result.attempt, true) })
}
