import { GatewayError } from "../errors"
import type {
  CallbackResult,
  MpesaGateway,
  PaymentState,
  StatusResult,
  StkPushRequest,
  StkPushResult,
} from "../gateway"
import { createHttp, isNotJson, send, type RawResponse } from "../http"
import { sharedRequestLimiter, type RedisLike, type RequestClass } from "../rate-limit"
import { LIVE_BASE_URLS } from "../../lib/gateway-mode"
import { describeSettlement, PENDING_MESSAGE } from "../../lib/result-codes"
import { assertPushable, clientOptions, type ClientOptions, unexpected } from "../client-support"
import {
  lipiaCallback,
  lipiaErrorEnvelope,
  lipiaStatusData,
  lipiaStkPushData,
  lipiaSuccessEnvelope,
} from "./schemas"
import { lipiaState } from "./state"

export const LIPIA_DEFAULT_BASE_URL = LIVE_BASE_URLS.lipia

/**
 * Lipia documents no rate limit (reference/lipia-status-and-callbacks.md). Unpaced, a runaway
 * (a loop of checks, a storm of polls) could meet an undocumented one at the worst moment, so
 * the plugin paces itself per API key (shared across processes given `redisUrl`): 100 requests
 * per second by default, which the provider's `requestsPerSecond` option changes. Every prompt
 * costs two requests (the push, then the check of its callback), so the pace caps how many
 * shoppers a second can pay: at the 5 per second this once was, a sale's 50 shoppers pressing
 * Pay at once waited up to 12 s for their prompts. The pace has no burst allowance, so a sale
 * meets it even when the average is far below: at 50, 200 shoppers pressing Pay at once had
 * their 400 requests spread over 8 s, and their orders with them (bench: payment phase at 200).
 */
export const LIPIA_REQUESTS_PER_SECOND = 100

export type LipiaClientOptions = ClientOptions & {
  /** Share the request budget with every other process through this Redis. */
  redis?: RedisLike
  /** The plugin's own pace towards Lipia, per API key. Default LIPIA_REQUESTS_PER_SECOND. */
  requestsPerSecond?: number
}

const stkPushEnvelope = lipiaSuccessEnvelope(lipiaStkPushData)
const statusEnvelope = lipiaSuccessEnvelope(lipiaStatusData)

/**
 * Lipia Online v2: `POST /payments/stk-push`, `GET /payments/status?reference=…` and the
 * callback it POSTs (reference/lipia-stk-push.txt, reference/lipia-status-and-callbacks.md).
 */
export class LipiaClient implements MpesaGateway {
  readonly name = "lipia" as const
  readonly minAmount = 1
  readonly callbackCarriesOurReference = true
  private readonly http

  constructor(options: LipiaClientOptions) {
    const http = clientOptions("lipia", LIPIA_DEFAULT_BASE_URL, options)
    this.http = createHttp({
      ...http,
      limiter: http.limiter ?? sharedRequestLimiter({ apiKey: options.apiKey, perSecond: options.requestsPerSecond ?? LIPIA_REQUESTS_PER_SECOND, redis: options.redis }),
    })
  }

  async pushStk(request: StkPushRequest): Promise<StkPushResult> {
    const { phone, amount } = assertPushable("lipia", this.minAmount, request)
    const response = await send(this.http, "lipia", {
      method: "POST",
      url: "/payments/stk-push",
      requestClass: "push",
      data: {
        phone_number: phone,
        amount,
        external_reference: request.reference,
        ...(request.callbackUrl ? { callback_url: request.callbackUrl } : {}),
        ...(request.metadata ? { metadata: request.metadata } : {}),
      },
    })
    const data = this.readSuccess(response, stkPushEnvelope, "STK push").data
    // ResponseCode 0 means "accepted for processing"; anything else is a refusal.
    if (data.ResponseCode !== 0) {
      throw new GatewayError({
        gateway: "lipia",
        kind: "rejected",
        reached: "yes",
        httpStatus: response.status,
        gatewayCode: String(data.ResponseCode),
        message: `Lipia did not accept the payment request: ${data.ResponseDescription || `response code ${data.ResponseCode}`}.`,
      })
    }
    return {
      gateway: "lipia",
      reference: data.TransactionReference,
      // Lipia callbacks identify the payment only by our external_reference.
      callbackReference: request.reference,
      message: data.ResponseDescription,
    }
  }

  async getStatus(reference: string, requestClass: RequestClass = "job"): Promise<StatusResult> {
    const response = await send(this.http, "lipia", {
      requestClass,
      method: "GET",
      url: "/payments/status",
      params: { reference },
    })
    if (response.status === 404 || this.isUnknownReference(response)) {
      return {
        gateway: "lipia",
        reference,
        found: false,
        state: "pending",
        message: PENDING_MESSAGE,
        gatewayMessage: this.errorText(response),
      }
    }
    const { data } = this.readSuccess(response, statusEnvelope, "status")
    const r = data.response
    const state = lipiaState({
      status: r.Status,
      paid: data.status,
      receipt: r.MpesaReceiptNumber,
      resultCode: r.ResultCode,
    })
    return {
      gateway: "lipia",
      reference,
      found: true,
      ...settlement(state, r.ResultCode ?? undefined, r.ResultDesc),
      amount: r.Amount,
      receipt: state === "paid" ? r.MpesaReceiptNumber : undefined,
      externalReference: r.ExternalReference,
      phone: r.Phone ?? undefined,
      settledAt: r.TransactionDate,
    }
  }

  parseCallback(body: unknown): CallbackResult {
    const parsed = lipiaCallback.safeParse(body)
    if (!parsed.success) {
      throw unexpected("lipia", "callback", parsed.error)
    }
    const r = parsed.data.response
    if (!r.ExternalReference) {
      throw unexpected("lipia", "callback", "it carries no ExternalReference to match a payment")
    }
    const state = lipiaState({
      status: r.Status,
      paid: parsed.data.status,
      receipt: r.MpesaReceiptNumber,
      resultCode: r.ResultCode,
    })
    return {
      gateway: "lipia",
      reference: r.ExternalReference,
      externalReference: r.ExternalReference,
      checkoutId: r.CheckoutRequestID,
      merchantRequestId: r.MerchantRequestID,
      ...settlement(state, r.ResultCode, r.ResultDesc),
      amount: r.Amount,
      receipt: state === "paid" ? r.MpesaReceiptNumber : undefined,
      phone: r.Phone ?? undefined,
    }
  }

  /** The status API wants the `TransactionReference`, which callbacks do not carry. */
  statusReferenceOf(_callback: CallbackResult): string | undefined {
    return undefined
  }

  /** Parses a success envelope, or throws the typed error the answer describes. */
  private readSuccess<T>(
    response: RawResponse,
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown } },
    what: string
  ): T {
    if (response.status >= 200 && response.status < 300 && !isNotJson(response.body)) {
      const parsed = schema.safeParse(response.body)
      if (parsed.success) {
        return parsed.data
      }
      if (!lipiaErrorEnvelope.safeParse(response.body).success) {
        throw unexpected("lipia", what, parsed.error, response.status)
      }
    }
    throw this.errorFrom(response, what)
  }

  private errorFrom(response: RawResponse, what: string): GatewayError {
    const envelope = lipiaErrorEnvelope.safeParse(response.body)
    const status = response.status
    const base = { gateway: "lipia" as const, httpStatus: status, reached: "yes" as const }
    if (!envelope.success) {
      if (status === 401 || status === 403) {
        return new GatewayError({ ...base, kind: "auth", message: authMessage(status) })
      }
      if (status === 429) {
        return new GatewayError({ ...base, kind: "rate_limited", message: rateLimitMessage() })
      }
      if (status >= 500) {
        return new GatewayError({ ...base, kind: "unavailable", message: `Lipia is unavailable (HTTP ${status}). Try again shortly.` })
      }
      return unexpected("lipia", what, isNotJson(response.body) ? "the body is not JSON" : envelope.error, status)
    }
    const { message, customerMessage, error } = envelope.data
    const code = error?.code
    const details = { ...base, gatewayCode: code, customerMessage }
    if (code === "VALIDATION_ERROR") {
      return new GatewayError({
        ...details,
        kind: "validation",
        field: error?.field,
        message: `Lipia refused the ${what} request: ${message}${error?.field ? ` (${error.field}: expected ${error.expected ?? "a valid value"})` : ""}.`,
      })
    }
    if (status === 401 || status === 403 || code === "UNAUTHORIZED" || code === "FORBIDDEN") {
      return new GatewayError({ ...details, kind: "auth", message: authMessage(status) })
    }
    if (status === 429) {
      return new GatewayError({ ...details, kind: "rate_limited", message: rateLimitMessage() })
    }
    if (status >= 500) {
      return new GatewayError({ ...details, kind: "unavailable", message: `Lipia is unavailable (HTTP ${status}): ${message}. Try again shortly.` })
    }
    return new GatewayError({
      ...details,
      kind: "rejected",
      message: `Lipia declined the ${what} request: ${message}${code ? ` (${code})` : ""}.`,
    })
  }

  /**
   * "An unknown reference answers `success: false`" (reference/lipia-status-and-callbacks.md)
   * with no documented code: any error envelope on the status call that is not about the
   * input, the key, the rate or the server is read as "not found yet".
   */
  private isUnknownReference(response: RawResponse): boolean {
    const envelope = lipiaErrorEnvelope.safeParse(response.body)
    if (!envelope.success) {
      return false
    }
    const code = envelope.data.error?.code
    const status = response.status
    return (
      code !== "VALIDATION_ERROR" &&
      code !== "UNAUTHORIZED" &&
      code !== "FORBIDDEN" &&
      status !== 401 &&
      status !== 403 &&
      status !== 429 &&
      status < 500
    )
  }

  private errorText(response: RawResponse): string | undefined {
    const envelope = lipiaErrorEnvelope.safeParse(response.body)
    return envelope.success ? envelope.data.message : undefined
  }
}

function settlement(state: PaymentState, resultCode: number | undefined, resultDesc: string | undefined) {
  return { state, resultCode, ...describeSettlement(state, resultCode), gatewayMessage: resultDesc }
}

function authMessage(status: number): string {
  return `Lipia refused the API key (HTTP ${status}). Check the apiKey option of the mpesa-lipia provider.`
}

function rateLimitMessage(): string {
  return "Lipia is rate limiting this store (HTTP 429) even after backing off. Try again shortly."
}
