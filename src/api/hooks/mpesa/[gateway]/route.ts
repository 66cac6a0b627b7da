import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IEventBusModuleService, IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"

import { MPESA_PAYMENT_VERIFIED, type MpesaPaymentVerified } from "../../../../lib/events"
import { GatewayError } from "../../../../lib/errors"
import { SESSION_HEADER, SIGNATURE_HEADER, type VerifiedCallback } from "../../../../providers/mpesa-base"

const GATEWAYS = ["lipia", "lipwa"]

// Where a refused callback stands. Each answer changes nothing.
const REFUSALS: Record<string, number> = {
  MPESA_BAD_SIGNATURE: 401,
  MPESA_UNKNOWN_SESSION: 401,
  MPESA_MALFORMED_CALLBACK: 400,
  MPESA_CALLBACK_MISMATCH: 400,
}

/**
 * `POST /hooks/mpesa/{lipia|lipwa}?session_id=…&sig=…` — where the aggregators deliver STK
 * results. Outside `/store`, so no publishable key: the URL's HMAC signature authenticates it.
 * The provider checks the signature, parses the body, matches the reference to the session and
 * asks the gateway's status API; only a confirmed outcome is handed to the reconciler (by
 * event, so the answer goes back at once and any process may do the work). Lipia expects a
 * plain-text `ok`.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const gateway = req.params.gateway
  if (!GATEWAYS.includes(gateway)) {
    res.status(404).json({ message: "Unknown M-Pesa gateway." })
    return
  }
  const sessionId = req.query.session_id
  const signature = req.query.sig
  const refuse = (status: number, code: string, message: string) => {
    logger.warn(`M-Pesa (${gateway}) callback refused (${code}) for session ${String(sessionId ?? "-")}: ${message}`)
    res.status(status).json({ code, message })
  }
  if (typeof sessionId !== "string" || typeof signature !== "string") {
    return refuse(401, "MPESA_BAD_SIGNATURE", "The callback URL's signature is missing or wrong.")
  }

  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const session = await paymentModule
    .retrievePaymentSession(sessionId, { select: ["id", "provider_id"] })
    .catch(() => undefined)
  // An unknown session cannot have a valid signature checked against it: same answer as a bad one.
  if (!session || !session.provider_id.startsWith(`pp_mpesa-${gateway}_`)) {
    logger.warn(`M-Pesa (${gateway}) callback: session ${sessionId} ${session ? `belongs to ${session.provider_id}` : "not found"}`)
    return refuse(401, "MPESA_UNKNOWN_SESSION", "No such M-Pesa payment session for this gateway.")
  }

  let verified: VerifiedCallback
  try {
    const result = await paymentModule.getWebhookActionAndData({
      provider: session.provider_id,
      payload: {
        data: (req.body ?? {}) as Record<string, unknown>,
        rawData: (req.rawBody ?? "") as string | Buffer,
        headers: { ...req.headers, [SESSION_HEADER]: sessionId, [SIGNATURE_HEADER]: signature },
      },
    })
    verified = (result.data as unknown as { mpesa: VerifiedCallback }).mpesa
  } catch (error) {
    const code = MedusaError.isMedusaError(error as Error) ? String((error as MedusaError).code) : ""
    if (REFUSALS[code]) {
      return refuse(REFUSALS[code], code, (error as Error).message)
    }
    if (GatewayError.is(error)) {
      // The status API could not be asked: say so, so a gateway that retries will; the
      // recovery job asks again anyway.
      return refuse(503, "MPESA_STATUS_UNAVAILABLE", error.message)
    }
    throw error
  }

  if (!verified.confirmed) {
    return refuse(
      409,
      "MPESA_CALLBACK_UNCONFIRMED",
      `The callback says ${verified.claimed}, which the gateway's status API does not confirm; nothing was changed.`
    )
  }
  if (verified.claimed !== "pending") {
    const eventBus = req.scope.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const data: MpesaPaymentVerified = {
      session_id: verified.sessionId,
      amount: verified.amount,
      status: verified.status,
      data: verified.data,
    }
    await eventBus.emit({ name: MPESA_PAYMENT_VERIFIED, data })
  }
  res.status(200).type("text/plain").send("ok")
}
