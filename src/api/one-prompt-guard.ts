import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, PaymentSessionStatus } from "@medusajs/framework/utils"

import { pluginOptions } from "../lib/plugin-options"
import { isMpesaProviderId, reconcile, recheckSession } from "../lib/sessions"

/**
 * Guards `POST /store/payment-collections/:id/payment-sessions`: Medusa deletes a collection's
 * sessions when a new one is created, so a second session while an STK prompt is still on the
 * phone would ring the phone twice and orphan the first prompt's money. While a pending M-Pesa
 * attempt is younger than `promptLifetimeMs`, a new session is refused with 409
 * `MPESA_PAYMENT_IN_PROGRESS` and `retry_after` (seconds) — unless the status API says the
 * attempt has already failed, in which case the failure is recorded and the new attempt goes on.
 */
export async function refuseSecondLivePrompt(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "payment_collection",
      fields: ["id", "payment_sessions.id", "payment_sessions.provider_id", "payment_sessions.status", "payment_sessions.data"],
      filters: { id: req.params.id },
    })
    const lifetime = pluginOptions(req.scope).promptLifetimeMs
    const now = Date.now()
    const live = (data[0]?.payment_sessions ?? []).filter(
      (s: { provider_id: string; status: string; data?: Record<string, unknown> | null } | null) =>
        s &&
        isMpesaProviderId(s.provider_id) &&
        s.status === PaymentSessionStatus.PENDING &&
        now - Date.parse(String(s.data?.pushed_at ?? 0)) < lifetime
    )
    for (const session of live) {
      const verified = await recheckSession(req.scope, session).catch(() => undefined)
      if (verified && verified.status === PaymentSessionStatus.ERROR) {
        await reconcile(req.scope, verified)
        continue
      }
      if (verified && verified.status !== PaymentSessionStatus.PENDING) {
        await reconcile(req.scope, verified)
        res.status(409).json({
          type: "not_allowed",
          code: "MPESA_PAYMENT_RECEIVED",
          message: "Your M-Pesa payment was received; your order is being placed.",
        })
        return
      }
      const retryAfter = Math.max(1, Math.ceil((Date.parse(String(session.data.pushed_at)) + lifetime - now) / 1000))
      res.setHeader("Retry-After", String(retryAfter))
      res.status(409).json({
        type: "not_allowed",
        code: "MPESA_PAYMENT_IN_PROGRESS",
        message: "A payment prompt is already on your phone. Complete or cancel it, or wait for it to expire, before starting again.",
        retry_after: retryAfter,
      })
      return
    }
    next()
  } catch (error) {
    next(error)
  }
}
