import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { HELD_MESSAGE, EXPIRED_MESSAGE, shopperStatus } from "../../../../../payment/attempt"
import { mayCheckNow } from "../../../../../payment/check-schedule"
import { pluginOptions } from "../../../../../payment/plugin-options"
import { REFUSALS } from "../../../../../payment/refusals"
import { recheckMpesaPaymentWorkflow } from "../../../../../workflows/recheck-mpesa-payment"
import { cartAndOrderOfCollection } from "../../../../../workflows/steps/find-order"
import { attemptForSession } from "../../../../../workflows/adopt-mpesa-session"

/**
 * `GET /store/mpesa/payment-sessions/:id` — what a "check your phone" page polls:
 * `{ id, status: pending|paid|failed|expired, message, receipt?, order_id? }`, read from the
 * ledger (so it still answers after Medusa replaced the session). While a payment is pending
 * and its prompt is older than `statusRecheckAfterMs`, this asks the status API — at most once
 * every few seconds per payment, whatever the number of pollers — so a lost callback costs the
 * shopper seconds, not minutes.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  let attempt = await attemptForSession(req.scope, req.params.id)
  if (!attempt) {
    res.status(404).json({ type: REFUSALS.MPESA_NOT_FOUND.type, code: "MPESA_NOT_FOUND", message: REFUSALS.MPESA_NOT_FOUND.message })
    return
  }
  const options = pluginOptions(req.scope)
  const now = Date.now()
  const due =
    attempt.state === "pending" &&
    now - new Date(attempt.pushed_at).getTime() > options.statusRecheckAfterMs &&
    mayCheckNow(attempt, now)
  if (due) {
    ;({ attempt } = (await recheckMpesaPaymentWorkflow(req.scope).run({ input: { attempt_id: attempt.id } })).result)
  }
  const status = shopperStatus(attempt.state)
  const orderId = attempt.order_id ?? (status === "paid" ? (await cartAndOrderOfCollection(req.scope, attempt.payment_collection_id)).order_id : undefined)
  const message = attempt.paid_without_order ? HELD_MESSAGE : attempt.state === "expired" ? EXPIRED_MESSAGE : (attempt.message ?? "")
  res.json({
    id: req.params.id,
    status,
    message,
    ...(attempt.receipt && status === "paid" ? { receipt: attempt.receipt } : {}),
    ...(orderId ? { order_id: orderId } : {}),
  })
}
