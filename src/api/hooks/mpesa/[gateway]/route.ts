import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { GATEWAY_NAMES, type GatewayName } from "../../../../lib/gateway-name"
import { REFUSALS } from "../../../../payment/refusals"
import { receiveMpesaCallback } from "../../../../workflows/receive-mpesa-callback"
import { isMpesaProviderId, mpesaGateway } from "../../../../providers/registry"

/**
 * `POST /hooks/mpesa/{lipia|lipwa}?attempt_id=…&sig=…` — where the aggregators deliver STK
 * results. Outside `/store`, so no publishable key: the URL's HMAC signature authenticates it.
 * The whole callback (signature, parse, match, verify, record) is receive-mpesa-callback's;
 * this answers the aggregator: Lipia expects a plain-text `ok`.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const gateway = req.params.gateway as GatewayName
  if (!GATEWAY_NAMES.includes(gateway)) {
    res.status(404).json({ message: "Unknown M-Pesa gateway." })
    return
  }
  if (req.query.ping !== undefined) {
    return answerPing(req, res, gateway)
  }
  const answer = await receiveMpesaCallback(req.scope, { gateway, query: req.query, body: req.body })
  if (answer.ok) {
    res.status(200).type("text/plain").send("ok")
    return
  }
  const named = String(req.query.attempt_id ?? req.query.session_id ?? "-")
  logger.warn(`M-Pesa (${gateway}) callback refused (${answer.code}) for ${named}: ${answer.message}`)
  res.status(answer.status).json({ code: answer.code, message: answer.message })
}

/**
 * The admin's "Test callback URL": the server calls its own public callback URL with a ping
 * signed like a callback. Answered here without touching the ledger or any gateway, so the
 * check proves the URL reaches this route (and the secret matches) and nothing else.
 */
function answerPing(req: MedusaRequest, res: MedusaResponse, gateway: GatewayName) {
  const providerId = String(req.query.ping)
  const sessionId = req.query.session_id
  const provider = isMpesaProviderId(providerId) ? mpesaGateway(req.scope, providerId) : undefined
  if (!provider || provider.gatewayName !== gateway || typeof sessionId !== "string" || !sessionId.startsWith("ping_") || !provider.isSignedCallback(sessionId, req.query.sig)) {
    const { http, message } = REFUSALS.MPESA_BAD_SIGNATURE
    res.status(http).json({ code: "MPESA_BAD_SIGNATURE", message })
    return
  }
  res.status(200).json({ pong: true, provider_id: providerId })
}
