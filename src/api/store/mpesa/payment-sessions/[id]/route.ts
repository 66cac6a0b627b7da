import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { isPaidInFull, STATE } from "../../../../../payment/attempt"
import { pluginOptions } from "../../../../../payment/plugin-options"
import { pollAnswer } from "../../../../../payment/poll-answer"
import { REFUSALS } from "../../../../../payment/refusals"
import { attemptForSession } from "../../../../../workflows/adopt-mpesa-session"
import { cartAndOrderOfCollection } from "../../../../../workflows/queries/find-order"
import { recheckMpesaPaymentWorkflow } from "../../../../../workflows/recheck-mpesa-payment"
import { mirrorVerdict } from "../../../../../workflows/steps/mirror-verdict"

/**
 * `GET /store/mpesa/payment-sessions/:id` — what a "check your phone" page polls:
 * `{ id, status: pending|paid|failed|expired, message, receipt?, order_id?, expires_at }` — the
 * contract the storefront parses (src/storefront/contract.ts) — read from the ledger (so it
 * still answers after Medusa replaced the session). While a payment is pending and its prompt
 * is older than `statusRecheckAfterMs`, this asks the status API — at most once every few
 * seconds per payment, whatever the number of pollers and servers, and only when the store's
 * request budget has a slot free (a poll never delays a push or a callback) — so a lost callback
 * costs the shopper seconds, not minutes.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  let attempt = await attemptForSession(req.scope, req.params.id)
  if (!attempt) {
    res.status(404).json({ type: REFUSALS.MPESA_NOT_FOUND.type, code: "MPESA_NOT_FOUND", message: REFUSALS.MPESA_NOT_FOUND.message })
    return
  }
  const options = pluginOptions(req.scope)
  if (attempt.state === STATE.pending && Date.now() - new Date(attempt.pushed_at).getTime() > options.statusRecheckAfterMs) {
    ;({ attempt } = (await recheckMpesaPaymentWorkflow(req.scope).run({ input: { attempt_id: attempt.id, asked_by: "poll" } })).result)
  }
  const orderId = attempt.order_id ?? (isPaidInFull(attempt.state) ? (await cartAndOrderOfCollection(req.scope, attempt.payment_collection_id)).order_id : undefined)
  if (isPaidInFull(attempt.state) && !orderId) {
    // "paid" promises the storefront that completing the cart now authorizes: make sure the
    // session already carries the verdict (it normally does; this covers the moment between
    // the ledger's move and the session write).
    await mirrorVerdict(req.scope, attempt.id)
  }
  res.json(pollAnswer(req.params.id, attempt, { orderId, promptLifetimeMs: options.promptLifetimeMs }))
}
