/**
 * Lipia Online v2, below `/lipia/api/v2`:
 *   POST /payments/stk-push           (reference/lipia-stk-push.txt)
 *   GET  /payments/status?reference=  (reference/lipia-status-and-callbacks.md §2)
 * Every answer uses the documented envelope; Lipia documents no rate limit, so there is none.
 */
import { z } from "zod"
import { type ApiHandler, type ApiRequest, type ApiResponse, accountOf, bearerToken, bodyObject, isHttpUrl, tokenAccepted } from "./http"
import { lipiaError, lipiaStatusData, lipiaStkPushData, lipiaSuccess, lipiaValidationError } from "./lipia-payloads"
import type { Simulator } from "./simulator"
import { STK_PUSH_RULES, checkPushPhone, pushAmountAccepted } from "./stk-push-rules"

export interface LipiaApiOptions {
  apiKeys?: string[]
  notFoundForMs: number
}

/** `error.expected` per field; phone and amount as in stk-push-rules.ts, the rest sandbox choices. */
const EXPECTED = {
  ...STK_PUSH_RULES.lipia.rejects,
  external_reference: "string or number",
  callback_url: "valid http(s) URL",
  metadata: "flat object of key-value pairs",
} as const

/**
 * Fields in the documented order; the first invalid one is reported (the documented error
 * names a single field). Sandbox choices: phone_number must be a string (documented type
 * String), amount a JSON number (not "100"), metadata values scalars ("flat object"), null
 * means absent for the optional fields, and unknown fields are ignored.
 */
const StkPushBody = z.object({
  phone_number: z.string().refine((phone) => checkPushPhone("lipia", phone).ok),
  amount: z.number().refine((amount) => pushAmountAccepted("lipia", amount)),
  external_reference: z.union([z.string(), z.number()]).nullish(),
  callback_url: z.string().refine(isHttpUrl).nullish(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullish(),
})

export function createLipiaApi(sim: Simulator, options: LipiaApiOptions): ApiHandler {
  return (req) => {
    const route = `${req.method} ${req.path}`
    if (route !== "POST /payments/stk-push" && route !== "GET /payments/status") {
      return notFound("Route not found")
    }
    const token = bearerToken(req.headers)
    if (!tokenAccepted(token, options.apiKeys)) {
      // Sandbox choice: the docs show only the envelope; 401 + UNAUTHORIZED is the usual pairing.
      return {
        status: 401,
        body: lipiaError("Invalid or missing API key", "Authentication failed. Please contact the merchant.", {
          code: "UNAUTHORIZED",
        }),
      }
    }
    const account = accountOf(token)
    return route === "POST /payments/stk-push" ? stkPush(req, account) : status(req, account)
  }

  function stkPush(req: ApiRequest, account: string): ApiResponse {
    const body = bodyObject(req.body)
    if (!body) {
      const raw = req.body.kind === "malformed" ? req.body.raw.slice(0, 200) : undefined
      return { status: 400, body: lipiaValidationError("body", "body", raw, "JSON object") }
    }
    const parsed = StkPushBody.safeParse(body)
    if (!parsed.success) {
      const field = String(parsed.error.issues[0].path[0]) as keyof typeof EXPECTED
      return { status: 400, body: lipiaValidationError(field, "body", body[field], EXPECTED[field]) }
    }
    const input = parsed.data
    const phone = checkPushPhone("lipia", input.phone_number)
    const entry = sim.push({
      api: "lipia",
      account,
      phone: phone.ok ? phone.msisdn : input.phone_number,
      amount: input.amount,
      externalReference: input.external_reference ?? null,
      metadata: input.metadata ?? {},
      channelId: null,
      callbackUrl: input.callback_url ?? null,
    })
    return { status: 200, body: lipiaSuccess("STK push initiated successfully", lipiaStkPushData(entry.payment)) }
  }

  function status(req: ApiRequest, account: string): ApiResponse {
    const reference = req.query.get("reference")
    if (!reference) {
      return { status: 400, body: lipiaValidationError("reference", "query", reference, "transaction reference") }
    }
    const entry = sim.ledger.findByGatewayRef("lipia", reference)
    // "An unknown reference answers success: false (observed in the wild while a fresh push
    // is not yet visible)" — reference/lipia-status-and-callbacks.md §2; lipiaNotFoundForMs replays that.
    if (!entry || entry.account !== account || Date.now() - entry.createdMs < options.notFoundForMs) {
      return notFound("Transaction not found")
    }
    return { status: 200, body: lipiaSuccess("Transaction status retrieved successfully", lipiaStatusData(entry.payment)) }
  }
}

/** Sandbox choice: 404 with code NOT_FOUND (the docs only say `success: false`). */
function notFound(message: string): ApiResponse {
  return { status: 404, body: lipiaError(message, message, { code: "NOT_FOUND" }) }
}
