/**
 * Lipwa, below `/lipwa/api` (reference/lipwa-api.txt):
 *   POST /payments             STK push, answers 201
 *   GET  /status?ref=          by CheckoutRequestID
 *   GET  /transactions?limit=  successful payments (prompted or paid to the till), newest first
 * Lipwa documents no error bodies. Sandbox choice: `{ message }` with 400 (validation),
 * 401 (key), 404 (route or reference) and 429 (rate limit).
 */
import { z } from "zod"
import { type ApiHandler, type ApiRequest, type ApiResponse, accountOf, bearerToken, bodyObject, isHttpUrl, tokenAccepted } from "./http"
import { lipwaStatusResponse, lipwaStkPushResponse, lipwaTransaction } from "./lipwa-payloads"
import { ANY_ACCOUNT } from "./ledger"
import type { SlidingWindowLimiter } from "./rate-limit"
import type { Simulator } from "./simulator"
import { STK_PUSH_RULES, checkPushPhone, pushAmountAccepted } from "./stk-push-rules"

export interface LipwaApiOptions {
  apiKeys?: string[]
  channels?: string[]
  limiter: SlidingWindowLimiter
}

const ROUTES = new Set(["POST /payments", "GET /status", "GET /transactions"])

export function createLipwaApi(sim: Simulator, options: LipwaApiOptions): ApiHandler {
  const { amount: AMOUNT, phone_number: PHONE } = STK_PUSH_RULES.lipwa.rejects
  const CALLBACK = "callback_url must be a valid http(s) URL"
  /**
   * Fields in the documented order; the first invalid one is reported. Sandbox choices:
   * amount must be a JSON number, phone_number a string (documented types), null means
   * absent for the optional fields, unknown fields are ignored.
   */
  const PaymentBody = z.object({
    amount: z.number({ error: AMOUNT }).refine((amount) => pushAmountAccepted("lipwa", amount), { error: AMOUNT }),
    phone_number: z.string({ error: PHONE }).refine((phone) => checkPushPhone("lipwa", phone).ok, { error: PHONE }),
    channel_id: z
      .string({ error: "channel_id is required" })
      .min(1, { error: "channel_id is required" })
      .refine((id) => !options.channels || options.channels.includes(id), { error: "Invalid channel_id" }),
    callback_url: z.string({ error: CALLBACK }).refine(isHttpUrl, { error: CALLBACK }).nullish(),
    api_ref: z
      .union([z.string(), z.record(z.string(), z.unknown())], { error: "api_ref must be a string or an object" })
      .nullish(),
  })

  return (req) => {
    const route = `${req.method} ${req.path}`
    if (!ROUTES.has(route)) {
      return message(404, "Not Found")
    }
    const token = bearerToken(req.headers)
    if (!tokenAccepted(token, options.apiKeys)) {
      return message(401, "Unauthorized: missing or invalid API key")
    }
    const account = accountOf(token)
    // "10 requests per second … you'll receive a 429 Too Many Requests response" (reference/lipwa-api.txt).
    if (!options.limiter.allow(account)) {
      return message(429, "Too Many Requests")
    }
    switch (route) {
      case "POST /payments":
        return pay(req, account)
      case "GET /status":
        return status(req, account)
      default:
        return transactions(req, account)
    }
  }

  function pay(req: ApiRequest, account: string): ApiResponse {
    const body = bodyObject(req.body)
    if (!body) {
      return message(400, "Request body must be a JSON object")
    }
    const parsed = PaymentBody.safeParse(body)
    if (!parsed.success) {
      return message(400, parsed.error.issues[0].message)
    }
    const input = parsed.data
    const phone = checkPushPhone("lipwa", input.phone_number)
    const entry = sim.push({
      api: "lipwa",
      account,
      phone: phone.ok ? phone.msisdn : input.phone_number,
      amount: input.amount,
      externalReference: input.api_ref ?? null,
      metadata: {},
      channelId: input.channel_id,
      callbackUrl: input.callback_url ?? null,
    })
    return { status: 201, body: lipwaStkPushResponse(entry.payment) }
  }

  function status(req: ApiRequest, account: string): ApiResponse {
    const ref = req.query.get("ref")
    if (!ref) {
      return message(400, "ref is required (the CheckoutRequestID of the payment)")
    }
    const entry = sim.ledger.findByGatewayRef("lipwa", ref)
    // No prompt asked for a till payment: the status API, which follows prompts, does not know it.
    if (!entry || entry.account !== account || entry.payment.channel === "till") {
      return message(404, "Transaction not found")
    }
    return { status: 200, body: lipwaStatusResponse(entry.payment) }
  }

  function transactions(req: ApiRequest, account: string): ApiResponse {
    const rawLimit = req.query.get("limit")
    // "if not included fetches all". Sandbox choice: a limit that is not a positive integer is a 400.
    const limit = rawLimit === null || rawLimit === "" ? Infinity : Number(rawLimit)
    if (limit !== Infinity && (!Number.isSafeInteger(limit) || limit < 1)) {
      return message(400, "limit must be a positive integer")
    }
    const rows = sim.ledger
      .all()
      .filter((e) => (e.account === account || e.account === ANY_ACCOUNT) && e.payment.api === "lipwa" && e.payment.status === "success")
      // Newest first by payment date (a till payment may be dated in the past), then by settling order.
      .sort((a, b) => dateOf(b) - dateOf(a) || (b.settledSeq ?? 0) - (a.settledSeq ?? 0))
      .slice(0, limit)
      .map((e) => lipwaTransaction(e.payment))
    return { status: 200, body: { transactions: rows } }
  }
}

function dateOf(entry: { payment: { settledAt: string | null; createdAt: string } }): number {
  return new Date(entry.payment.settledAt ?? entry.payment.createdAt).getTime()
}

function message(status: number, text: string): ApiResponse {
  return { status, body: { message: text } }
}
