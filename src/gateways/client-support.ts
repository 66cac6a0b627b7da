import { GatewayError } from "./errors"
import { checkAmount } from "../lib/amount"
import type { GatewayName, StkPushRequest } from "./gateway"
import { gatewayLabel, type HttpOptions } from "./http"
import { checkSafaricomPhone } from "../lib/phone"
import type { RequestLimiter } from "./rate-limit"

/** What a merchant (or a test) configures for one aggregator client. */
export type ClientOptions = {
  apiKey: string
  /** Defaults to the gateway's production URL; point it at the sandbox for tests and demos. */
  baseUrl?: string
  /** Per-request timeout, ms. Default 15000. */
  timeoutMs?: number
  /** Retries for retryable failures (429, connection refused, 5xx on reads). Default 3. */
  retries?: number
  /** First backoff step, ms. Default 250. */
  retryBaseDelayMs?: number
  /** Overrides the client's default limiter (e.g. one shared through Redis). */
  limiter?: RequestLimiter
}

export const DEFAULT_TIMEOUT_MS = 15_000

export function clientOptions(gateway: GatewayName, defaultBaseUrl: string, options: ClientOptions): HttpOptions {
  if (!options.apiKey) {
    throw new GatewayError({
      gateway,
      kind: "auth",
      reached: "no",
      message: `No API key configured for ${gatewayLabel(gateway)}. Set the apiKey option of the mpesa-${gateway} provider.`,
    })
  }
  return {
    gateway,
    apiKey: options.apiKey,
    baseUrl: options.baseUrl || defaultBaseUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 250,
    limiter: options.limiter,
  }
}

/**
 * Checks a push before it leaves the store, so bad input costs no request and rings no
 * phone. The provider checks the same rules earlier with shopper-facing messages; this is
 * the client refusing to send what the gateway documents as invalid.
 */
export function assertPushable(
  gateway: GatewayName,
  minAmount: number,
  request: StkPushRequest
): { phone: string; amount: number } {
  const phone = checkSafaricomPhone(request.phone)
  if (!phone.ok) {
    throw new GatewayError({ gateway, kind: "validation", reached: "no", field: "phone_number", message: phone.message })
  }
  const amount = checkAmount(request.amount, { gateway, rounding: "reject" })
  if (!amount.ok || amount.amount !== request.amount || request.amount < minAmount) {
    throw new GatewayError({
      gateway,
      kind: "validation",
      reached: "no",
      field: "amount",
      message: amount.ok
        ? `The amount sent to ${gatewayLabel(gateway)} must be a whole number of shillings, at least ${minAmount}.`
        : amount.message,
    })
  }
  if (!request.reference) {
    throw new GatewayError({
      gateway,
      kind: "validation",
      reached: "no",
      field: "reference",
      message: "An STK push needs a reference (the payment session id) to be matched later.",
    })
  }
  return { phone: phone.msisdn, amount: request.amount }
}

/** A payload that is not the documented shape. The zod detail names fields, never values. */
export function unexpected(
  gateway: GatewayName,
  what: string,
  detail: unknown,
  httpStatus?: number
): GatewayError {
  return new GatewayError({
    gateway,
    kind: "unexpected_payload",
    reached: "yes",
    httpStatus,
    message: `Unexpected ${what} payload from ${gatewayLabel(gateway)}: ${describe(detail)}.`,
  })
}

function describe(detail: unknown): string {
  if (typeof detail === "string") {
    return detail
  }
  const issues = (detail as { issues?: Array<{ path: PropertyKey[]; message: string }> })?.issues
  if (Array.isArray(issues) && issues.length) {
    return issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join(".") || "body"}: ${issue.message}`)
      .join("; ")
  }
  return "unexpected shape"
}
