import { randomUUID } from "node:crypto"

import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"

import { REFUSALS } from "../payment/refusals"
import { startMpesaPaymentWorkflow } from "../workflows/start-mpesa-payment"
import { isMpesaProviderId } from "../providers/registry"

type Body = { provider_id: string; data?: Record<string, unknown> }

/**
 * `POST /store/payment-collections/:id/payment-sessions` for an M-Pesa provider: the plugin
 * runs it (start-mpesa-payment: lock, one-prompt guard, ledger row, Medusa's own session
 * creation) and answers exactly as Medusa's route does. Other providers pass through. Runs
 * after Medusa's body and query validation (same route, registered later).
 */
export async function startMpesaPaymentRoute(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const body = (req.validatedBody ?? req.body) as Body
  if (!isMpesaProviderId(body?.provider_id)) {
    return next()
  }
  try {
    const { result } = await startMpesaPaymentWorkflow(req.scope).run({
      input: {
        payment_collection_id: req.params.id,
        provider_id: body.provider_id,
        data: body.data,
        customer_id: (req as { auth_context?: { actor_id?: string } }).auth_context?.actor_id,
        owner_id: randomUUID(),
      },
    })
    if (result.refused) {
      const { code, message, retry_after } = result.refused
      if (retry_after) {
        res.setHeader("Retry-After", String(retry_after))
      }
      res.status(REFUSALS[code].http).json({ type: REFUSALS[code].type, code, message, ...(retry_after ? { retry_after } : {}) })
      return
    }
    if (result.pushed && !result.pushed.ok) {
      const { type, code, message } = result.pushed.error
      throw new MedusaError(type ?? MedusaError.Types.UNEXPECTED_STATE, message, code)
    }
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "payment_collection",
      fields: req.queryConfig?.fields ?? ["id", "currency_code", "amount", "*payment_sessions"],
      filters: { id: req.params.id },
    })
    res.status(200).json({ payment_collection: data[0] })
  } catch (error) {
    // Another request for this cart or phone held the lock for longer than we wait: it is
    // starting a payment right now.
    if (/acquir(e|ing) lock/i.test(String((error as Error)?.message))) {
      const { type, http, message } = REFUSALS.MPESA_SESSION_LOCKED
      res.status(http).json({ type, code: "MPESA_SESSION_LOCKED", message })
      return
    }
    next(error)
  }
}
