import { MedusaError } from "@medusajs/framework/utils"

import type { GatewayName } from "./gateway"

/**
 * What went wrong talking to an aggregator, in the terms a caller must decide on:
 * - `validation`: the gateway (or our pre-check) refused the input; fix the input, do not retry.
 * - `rejected`: the gateway understood the request and declined it (e.g. Lipia `PAYMENT_ERROR`).
 * - `auth`: the API key was refused; a merchant configuration problem.
 * - `rate_limited`: still 429 after backing off.
 * - `unavailable`: network error, timeout or 5xx; the gateway may be down.
 * - `unexpected_payload`: an answer (or callback) that does not match the documented shape.
 */
export type GatewayErrorKind =
  | "validation"
  | "rejected"
  | "auth"
  | "rate_limited"
  | "unavailable"
  | "unexpected_payload"

/**
 * Whether the request may have reached the gateway. For an STK push this decides whether a
 * phone may be ringing: "no" is the only answer that makes a retry safe.
 */
export type Reached = "no" | "yes" | "unknown"

export const GATEWAY_ERROR_CODES: Record<GatewayErrorKind, string> = {
  validation: "MPESA_GATEWAY_VALIDATION",
  rejected: "MPESA_GATEWAY_REJECTED",
  auth: "MPESA_GATEWAY_AUTH",
  rate_limited: "MPESA_GATEWAY_RATE_LIMITED",
  unavailable: "MPESA_GATEWAY_UNAVAILABLE",
  unexpected_payload: "MPESA_GATEWAY_UNEXPECTED_RESPONSE",
}

// Shopper-facing input problems are 400s; everything else is the merchant's or the
// gateway's problem and must not be presented to the shopper as their mistake.
const MEDUSA_TYPES: Record<GatewayErrorKind, string> = {
  validation: MedusaError.Types.INVALID_DATA,
  rejected: MedusaError.Types.NOT_ALLOWED,
  auth: MedusaError.Types.UNEXPECTED_STATE,
  rate_limited: MedusaError.Types.UNEXPECTED_STATE,
  unavailable: MedusaError.Types.UNEXPECTED_STATE,
  unexpected_payload: MedusaError.Types.UNEXPECTED_STATE,
}

export type GatewayErrorDetails = {
  gateway: GatewayName
  kind: GatewayErrorKind
  message: string
  reached: Reached
  httpStatus?: number
  /** The gateway's own error code, e.g. Lipia's `VALIDATION_ERROR`. */
  gatewayCode?: string
  /** Text the gateway meant for the end customer, when it sent one. */
  customerMessage?: string
  /** The request field a validation error is about. */
  field?: string
}

/**
 * A typed aggregator failure. It is a `MedusaError`, so thrown from a provider it becomes an
 * HTTP error with a sensible status. It carries no request configuration (axios errors hold
 * the `Authorization` header), so logging it can never leak the API key.
 */
export class GatewayError extends MedusaError {
  readonly gateway: GatewayName
  readonly kind: GatewayErrorKind
  readonly reached: Reached
  readonly httpStatus?: number
  readonly gatewayCode?: string
  readonly customerMessage?: string
  readonly field?: string

  constructor(details: GatewayErrorDetails) {
    super(MEDUSA_TYPES[details.kind], details.message, GATEWAY_ERROR_CODES[details.kind])
    this.name = "GatewayError"
    this.gateway = details.gateway
    this.kind = details.kind
    this.reached = details.reached
    this.httpStatus = details.httpStatus
    this.gatewayCode = details.gatewayCode
    this.customerMessage = details.customerMessage
    this.field = details.field
  }

  static is(error: unknown): error is GatewayError {
    return error instanceof GatewayError
  }
}

/**
 * Whether a failed STK push may still have put a prompt on the phone: the connection broke or
 * timed out after the request left (`reached` not "no"), or the gateway answered with a
 * success status whose body we could not read. Either way the shopper may pay it.
 */
export function pushMayHaveReached(error: unknown): boolean {
  if (!GatewayError.is(error)) {
    return false
  }
  if (error.kind === "unavailable") {
    return error.reached !== "no"
  }
  return error.kind === "unexpected_payload" && !!error.httpStatus && error.httpStatus >= 200 && error.httpStatus < 300
}

/** Whether the store refused its own request for want of a slot in its request budget (nothing was sent). */
export function isBudgetRefusal(error: unknown): boolean {
  return GatewayError.is(error) && error.kind === "rate_limited" && error.reached === "no" && error.gatewayCode === "LOCAL_BUDGET"
}
