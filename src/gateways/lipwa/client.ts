import { assertPushable, clientOptions, type ClientOptions, unexpected } from "../client-support"
import { GatewayError } from "../errors"
import type { CallbackResult, MpesaGateway, StatusResult, StkPushRequest, StkPushResult } from "../gateway"
import { createHttp, isNotJson, send, type RawResponse } from "../http"
import { sharedRequestLimiter, type RedisLike, type RequestClass } from "../rate-limit"
import { LIVE_BASE_URLS } from "../../lib/gateway-mode"
import { describeSettlement, PENDING_MESSAGE } from "../../lib/result-codes"
import {
  lipwaCallback,
  lipwaErrorBody,
  lipwaStatusResponse,
  lipwaStkPushResponse,
  lipwaTransactions,
} from "./schemas"
import { lipwaState } from "./state"

export const LIPWA_DEFAULT_BASE_URL = LIVE_BASE_URLS.lipwa

/** "10 requests per second" (reference/lipwa-api.txt, "Rate Limits"). */
export const LIPWA_REQUESTS_PER_SECOND = 10

/** The pace towards Lipwa for a provider's `requestsPerSecond`: slower if asked, never faster than documented. */
export function lipwaRequestsPerSecond(requested?: number): number {
  return Math.min(requested ?? LIPWA_REQUESTS_PER_SECOND, LIPWA_REQUESTS_PER_SECOND)
}

export type LipwaClientOptions = ClientOptions & {
  /** The Lipwa channel that receives the money (`channel_id`, "found in channels section"). */
  channelId: string
  /** Share the 10-per-second budget with every other process through this Redis. */
  redis?: RedisLike
  /** A slower pace than Lipwa's documented 10 per second, per API key (never a faster one). */
  requestsPerSecond?: number
}

export type LipwaTransaction = {
  transactionId: string
  /** The M-Pesa CheckoutRequestID the payment answered: our status reference. */
  reference: string
  receipt: string
  amount: number
  phone?: string
  type: string
  description?: string
  paidAt?: string
}

/**
 * Lipwa: `POST /payments` (201), `GET /status?ref=`, `GET /transactions?limit=` and the
 * callback it POSTs. Every call shares one limiter per API key (≤ 10 requests in any second),
 * and 429 answers are retried with backoff.
 */
export class LipwaClient implements MpesaGateway {
  readonly name = "lipwa" as const
  readonly minAmount = 10
  readonly callbackCarriesOurReference = false
  private readonly http
  private readonly channelId: string

  constructor(options: LipwaClientOptions) {
    const http = clientOptions("lipwa", LIPWA_DEFAULT_BASE_URL, options)
    if (!options.channelId) {
      throw new GatewayError({
        gateway: "lipwa",
        kind: "validation",
        reached: "no",
        field: "channel_id",
        message: "No Lipwa channel configured. Set the channelId option of the mpesa-lipwa provider.",
      })
    }
    this.channelId = options.channelId
    this.http = createHttp({
      ...http,
      limiter: http.limiter ?? sharedRequestLimiter({ apiKey: options.apiKey, perSecond: lipwaRequestsPerSecond(options.requestsPerSecond), redis: options.redis }),
    })
  }

  async pushStk(request: StkPushRequest): Promise<StkPushResult> {
    const { phone, amount } = assertPushable("lipwa", this.minAmount, request)
    const response = await send(this.http, "lipwa", {
      method: "POST",
      url: "/payments",
      requestClass: "push",
      data: {
        amount,
        phone_number: phone,
        channel_id: this.channelId,
        ...(request.callbackUrl ? { callback_url: request.callbackUrl } : {}),
        api_ref: request.reference,
      },
    })
    const body = this.readSuccess(response, lipwaStkPushResponse, "STK push")
    if (body.ResponseCode !== 0) {
      throw new GatewayError({
        gateway: "lipwa",
        kind: "rejected",
        reached: "yes",
        httpStatus: response.status,
        gatewayCode: String(body.ResponseCode),
        customerMessage: body.CustomerMessage,
        message: `Lipwa did not accept the payment request: ${body.ResponseDescription || `response code ${body.ResponseCode}`}.`,
      })
    }
    return {
      gateway: "lipwa",
      reference: body.CheckoutRequestID,
      callbackReference: body.CheckoutRequestID,
      checkoutId: body.CheckoutRequestID,
      merchantRequestId: body.MerchantRequestID,
      message: body.ResponseDescription,
    }
  }

  async getStatus(reference: string, requestClass: RequestClass = "job"): Promise<StatusResult> {
    const response = await send(this.http, "lipwa", { method: "GET", url: "/status", params: { ref: reference }, requestClass })
    if (response.status === 404) {
      return { gateway: "lipwa", reference, found: false, state: "pending", message: PENDING_MESSAGE, gatewayMessage: errorText(response) }
    }
    const body = this.readSuccess(response, lipwaStatusResponse, "status")
    const state = lipwaState(body.status, body.receipt)
    return {
      gateway: "lipwa",
      reference,
      found: true,
      state,
      ...describeSettlement(state),
      gatewayMessage: body.status,
      amount: body.amount ?? undefined,
      receipt: state === "paid" ? body.receipt : undefined,
      externalReference: typeof body.api_ref === "string" ? body.api_ref : undefined,
      settledAt: body.transaction_date,
    }
  }

  parseCallback(body: unknown): CallbackResult {
    const parsed = lipwaCallback.safeParse(body)
    if (!parsed.success) {
      throw unexpected("lipwa", "callback", parsed.error)
    }
    const c = parsed.data
    const state = lipwaState(c.status, c.mpesa_code)
    return {
      gateway: "lipwa",
      reference: c.checkout_id,
      checkoutId: c.checkout_id,
      transactionId: c.transaction_id,
      state,
      ...describeSettlement(state),
      gatewayMessage: c.status,
      amount: c.amount,
      receipt: state === "paid" ? c.mpesa_code : undefined,
      externalReference: typeof c.api_ref === "string" ? c.api_ref : undefined,
      phone: c.phone_number ?? undefined,
      settledAt: c.payment_date,
    }
  }

  /** `GET /status?ref=` takes the M-Pesa checkout id, which every callback carries. */
  statusReferenceOf(callback: CallbackResult): string | undefined {
    return callback.checkoutId
  }

  /** Recent successful payments to the account, newest first (all of them without `limit`). */
  async listTransactions(limit?: number): Promise<LipwaTransaction[]> {
    const response = await send(this.http, "lipwa", {
      method: "GET",
      url: "/transactions",
      params: limit ? { limit } : undefined,
    })
    const body = this.readSuccess(response, lipwaTransactions, "transactions")
    return body.transactions.map((t) => ({
      transactionId: t.transaction_id,
      reference: t.reference,
      receipt: t.receipt_number,
      amount: t.amount,
      phone: t.phone ?? undefined,
      type: t.transaction_type,
      description: t.description,
      paidAt: t.payment_date,
    }))
  }

  private readSuccess<T>(
    response: RawResponse,
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown } },
    what: string
  ): T {
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(response.body)
      if (parsed.success) {
        return parsed.data
      }
      throw unexpected("lipwa", what, isNotJson(response.body) ? "the body is not JSON" : parsed.error, response.status)
    }
    throw errorFrom(response, what)
  }
}

/** Lipwa documents no error body: the HTTP status decides the kind, the body's text is kept. */
function errorFrom(response: RawResponse, what: string): GatewayError {
  const status = response.status
  const text = errorText(response)
  const base = { gateway: "lipwa" as const, httpStatus: status, reached: "yes" as const }
  if (status === 401 || status === 403) {
    return new GatewayError({
      ...base,
      kind: "auth",
      message: `Lipwa refused the API key (HTTP ${status}). Check the apiKey option of the mpesa-lipwa provider.`,
    })
  }
  if (status === 429) {
    return new GatewayError({
      ...base,
      kind: "rate_limited",
      message: "Lipwa is rate limiting this store (HTTP 429) even after backing off. Try again shortly.",
    })
  }
  if (status >= 500) {
    return new GatewayError({ ...base, kind: "unavailable", message: `Lipwa is unavailable (HTTP ${status}). Try again shortly.` })
  }
  if (status === 400 || status === 422) {
    return new GatewayError({
      ...base,
      kind: "validation",
      customerMessage: text,
      message: `Lipwa refused the ${what} request${text ? `: ${text}` : ""}.`,
    })
  }
  return new GatewayError({
    ...base,
    kind: "rejected",
    customerMessage: text,
    message: `Lipwa declined the ${what} request (HTTP ${status})${text ? `: ${text}` : ""}.`,
  })
}

function errorText(response: RawResponse): string | undefined {
  const parsed = lipwaErrorBody.safeParse(response.body)
  if (!parsed.success) {
    return undefined
  }
  if (parsed.data.message) {
    return parsed.data.message
  }
  return typeof parsed.data.error === "string" ? parsed.data.error : undefined
}
