import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { mayCheckNow } from "../../../../../../payment/check-schedule"
import { recheckMpesaPaymentWorkflow } from "../../../../../../workflows/recheck-mpesa-payment"
import { retrieveAttempt } from "../../../../../../modules/mpesa/ledger"
import { attemptViews } from "../../../attempt-view"

/**
 * `POST /admin/mpesa/attempts/:id/recheck` — asks the gateway's status API now, through the
 * same workflow as callbacks and the job (and the gateway's rate limiter), and at most once
 * every few seconds per attempt however often it is pressed. Answers the attempt as it stands
 * and what the gateway said: `{ attempt, asked, answer?, error? }`.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const attempt = await retrieveAttempt(req.scope, req.params.id)
  if (!mayCheckNow(attempt)) {
    res.json({ attempt: (await attemptViews(req.scope, [attempt]))[0], asked: false, answer: "Checked a moment ago; try again in a few seconds." })
    return
  }
  const { result } = await recheckMpesaPaymentWorkflow(req.scope).run({ input: { attempt_id: attempt.id, asked_by: "merchant" } })
  res.json({
    attempt: (await attemptViews(req.scope, [result.attempt]))[0],
    asked: !!(result.verdict || result.error),
    ...(result.verdict ? { answer: result.verdict.facts.message } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(!result.verdict && !result.error ? { answer: "Nothing to ask: this payment is settled, or has no gateway reference." } : {}),
  })
}
