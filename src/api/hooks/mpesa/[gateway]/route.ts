import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { GATEWAY_NAMES, type GatewayName } from "../../../../lib/gateway-name"
import { callbackConfirmed } from "../../../../payment/attempt"
import { REFUSALS, refusal, refusalResponse } from "../../../../payment/refusals"
import { recheckMpesaPaymentWorkflow } from "../../../../workflows/recheck-mpesa-payment"
import { attemptForSession } from "../../../../workflows/adopt-mpesa-session"
import { isMpesaProviderId, mpesaProvider } from "../../../../workflows/steps/mpesa-provider"

/**
 * `POST /hooks/mpesa/{lipia|lipwa}?session_id=…&sig=…` — where the aggregators deliver STK
 * results. Outside `/store`, so no publishable key: the URL's HMAC signature authenticates it.
 * The attempt is found in the ledger (so a callback for a session Medusa deleted is still
 * heard), the signature checked, the body parsed and matched to the attempt's reference; then
 * the re-check workflow asks the gateway's status API, records what it says, and hands a
 * settled outcome on. Lipia expects a plain-text `ok`.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const gateway = req.params.gateway as GatewayName
  if (!GATEWAY_NAMES.includes(gateway)) {
    res.status(404).json({ message: "Unknown M-Pesa gateway." })
    return
  }
  const sessionId = req.query.session_id
  if (req.query.ping !== undefined) {
    return answerPing(req, res, gateway)
  }
  try {
    const attempt = typeof sessionId === "string" ? await attemptForSession(req.scope, sessionId, gateway) : undefined
    // An unknown attempt cannot have a valid signature checked against it: the same answer as a bad one.
    if (!attempt?.provider_id || !attempt.reference) {
      throw refusal(typeof req.query.sig === "string" && typeof sessionId === "string" ? "MPESA_UNKNOWN_SESSION" : "MPESA_BAD_SIGNATURE")
    }
    const provider = mpesaProvider(req.scope, attempt.provider_id)
    if (!provider.isSignedCallback(sessionId, req.query.sig)) {
      throw refusal("MPESA_BAD_SIGNATURE")
    }
    const callback = provider.parseCallback(req.body)
    provider.matchCallback(callback, attempt)

    const { result } = await recheckMpesaPaymentWorkflow(req.scope).run({ input: { attempt_id: attempt.id, callback: true } })
    if (result.error) {
      // Say so, so a gateway that retries will; the recovery job asks again anyway.
      throw refusal("MPESA_STATUS_UNAVAILABLE", result.error)
    }
    if (!callbackConfirmed(callback.state, result.verdict?.event)) {
      logger.warn(`M-Pesa (${gateway}): a callback for ${attempt.session_id} says ${callback.state}; the status API does not agree, and wins`)
      throw refusal("MPESA_CALLBACK_UNCONFIRMED", `The callback says ${callback.state}, which the gateway's status API does not confirm.`)
    }
    res.status(200).type("text/plain").send("ok")
  } catch (error) {
    const refused = refusalResponse(error)
    if (!refused) {
      throw error
    }
    logger.warn(`M-Pesa (${gateway}) callback refused (${refused.body.code}) for session ${String(sessionId ?? "-")}: ${refused.body.message}`)
    res.status(refused.status).json({ code: refused.body.code, message: refused.body.message })
  }
}

/**
 * The admin's "Test callback URL": the server calls its own public callback URL with a ping
 * signed like a callback. Answered here without touching the ledger or any gateway, so the
 * check proves the URL reaches this route (and the secret matches) and nothing else.
 */
function answerPing(req: MedusaRequest, res: MedusaResponse, gateway: GatewayName) {
  const providerId = String(req.query.ping)
  const sessionId = req.query.session_id
  const provider = isMpesaProviderId(providerId) ? mpesaProvider(req.scope, providerId) : undefined
  if (!provider || provider.gatewayName !== gateway || typeof sessionId !== "string" || !sessionId.startsWith("ping_") || !provider.isSignedCallback(sessionId, req.query.sig)) {
    const { http, message } = REFUSALS.MPESA_BAD_SIGNATURE
    res.status(http).json({ code: "MPESA_BAD_SIGNATURE", message })
    return
  }
  res.status(200).json({ pong: true, provider_id: providerId })
}
