import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { bodyAsReceived, keptHeaders, loggableId, namedIdOf } from "../../../../lib/callback-record"
import { GATEWAY_NAMES, type GatewayName } from "../../../../lib/gateway-name"
import { ledgerOf } from "../../../../modules/mpesa/ledger"
import { REFUSALS } from "../../../../payment/refusals"
import { receiveMpesaCallback, type CallbackAnswer, type CallbackSeen } from "../../../../workflows/receive-mpesa-callback"
import { isMpesaProviderId, mpesaGateway } from "../../../../providers/registry"

/**
 * `POST /hooks/mpesa/{lipia|lipwa}?attempt_id=…&sig=…` — where the aggregators deliver STK
 * results. Outside `/store`, so no publishable key: the URL's HMAC signature authenticates it.
 * The whole callback (signature, parse, match, verify, record) is receive-mpesa-callback's;
 * this answers the aggregator (Lipia expects a plain-text `ok`) and logs the callback as
 * received, with the answer — matched or not, signed or forged.
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
  const receivedAt = new Date()
  const seen: CallbackSeen = { signature_valid: false, attempt_id: null }
  let answer: CallbackAnswer | undefined
  try {
    answer = await receiveMpesaCallback(req.scope, { gateway, query: req.query, body: req.body }, seen)
  } finally {
    await logCallback(req, gateway, receivedAt, seen, answer)
  }
  if (answer.ok) {
    res.status(200).type("text/plain").send("ok")
    return
  }
  const named = loggableId(req.query.attempt_id ?? req.query.session_id)
  logger.warn(`M-Pesa (${gateway}) callback refused (${answer.code}) for ${named}: ${answer.message}`)
  res.status(answer.status).json({ code: answer.code, message: answer.message })
}

/**
 * Keeps the callback in the log (models/mpesa-callback.ts). Never in the way of the answer: a
 * log that cannot be written is said in the server log, and the aggregator still hears what
 * the payment's fate decided. An answer that never came (the handling threw) is logged as the
 * 500 the error handler will send.
 */
async function logCallback(req: MedusaRequest, gateway: GatewayName, receivedAt: Date, seen: CallbackSeen, answer: CallbackAnswer | undefined) {
  try {
    await ledgerOf(req.scope).logCallback({
      gateway,
      attempt_id: seen.attempt_id,
      named_id: namedIdOf(req.query),
      signature_valid: seen.signature_valid,
      body: bodyAsReceived((req as { rawBody?: unknown }).rawBody, req.body),
      headers: keptHeaders(req.headers),
      answer_status: answer ? (answer.ok ? 200 : answer.status) : 500,
      answer_code: answer && !answer.ok ? answer.code : null,
      answer_message: answer ? (answer.ok ? "ok" : answer.message) : "The store failed while handling it (see the server log).",
      received_at: receivedAt,
    })
  } catch (error) {
    req.scope.resolve(ContainerRegistrationKeys.LOGGER).warn(`M-Pesa (${gateway}): a callback could not be written to the callback log: ${(error as Error).message}`)
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
  const provider = isMpesaProviderId(providerId) ? mpesaGateway(req.scope, providerId) : undefined
  if (!provider || provider.gatewayName !== gateway || typeof sessionId !== "string" || !sessionId.startsWith("ping_") || !provider.isSignedCallback(sessionId, req.query.sig)) {
    const { http, message } = REFUSALS.MPESA_BAD_SIGNATURE
    res.status(http).json({ code: "MPESA_BAD_SIGNATURE", message })
    return
  }
  res.status(200).json({ pong: true, provider_id: providerId })
}
