import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { pluginOptions } from "../../../../../lib/plugin-options"
import { cartAndOrderOfSession, isMpesaProviderId, reconcile, recheckSession, shopperStatus } from "../../../../../lib/sessions"

/**
 * `GET /store/mpesa/payment-sessions/:id` — what a "check your phone" page polls:
 * `{ status: pending|paid|failed|expired, message, order_id? }`. While a payment is pending
 * and its prompt is older than `statusRecheckAfterMs` (15 s), this asks the gateway's
 * status API (through the gateway's shared rate limiter) and hands a settled outcome to the
 * reconciler, so a lost callback costs the shopper seconds, not minutes.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment_session",
    fields: ["id", "status", "provider_id", "amount", "currency_code", "data"],
    filters: { id: req.params.id },
  })
  const session = data[0]
  if (!session || !isMpesaProviderId(session.provider_id)) {
    res.status(404).json({ type: "not_found", message: "No M-Pesa payment with that id." })
    return
  }
  let status = shopperStatus(session)
  let sessionData = (session.data ?? {}) as Record<string, unknown>

  const pushedAt = Date.parse(String(sessionData.pushed_at ?? 0))
  if (status === "pending" && Date.now() - pushedAt > pluginOptions(req.scope).statusRecheckAfterMs) {
    try {
      const verified = await recheckSession(req.scope, session)
      sessionData = verified.data
      // Nothing is written here for a payment still pending: a read-modify-write of the
      // session would race the callback's write-back. Checks are bounded by the gateway
      // client's shared rate limiter instead.
      if (await reconcile(req.scope, verified)) {
        status = shopperStatus({ status: verified.status, data: verified.data })
      }
    } catch (error) {
      logger.warn(`M-Pesa: status re-check for ${session.id} failed, still pending: ${(error as Error).message}`)
    }
  }

  const { order_id: orderId } = await cartAndOrderOfSession(req.scope, session.id)
  res.json({
    id: session.id,
    status,
    message: String(sessionData.message ?? ""),
    ...(sessionData.receipt && status === "paid" ? { receipt: sessionData.receipt } : {}),
    ...(orderId ? { order_id: orderId } : {}),
  })
}
