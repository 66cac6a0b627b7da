import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from "axios"
import axiosRetry, { exponentialDelay } from "axios-retry"

import { GatewayError, type Reached } from "./errors"
import type { GatewayName } from "./gateway"
import { BudgetExhausted, MAX_WAIT_MS, type RequestClass, type RequestLimiter } from "./rate-limit"

export type HttpOptions = {
  gateway: GatewayName
  baseUrl: string
  apiKey: string
  /** Per-request timeout in ms. */
  timeoutMs: number
  /** How many times a retryable failure is retried. */
  retries: number
  /** First backoff step in ms (doubles each retry, plus jitter; a Retry-After header wins). */
  retryBaseDelayMs: number
  limiter?: RequestLimiter
}

/**
 * Connection errors that happen before a single byte of the request is sent: the request
 * provably did not reach the gateway, so even an STK push may be retried (it cannot have
 * rung the phone). A reset or a timeout proves nothing, and is never retried for a push.
 */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

export function provablyNotSent(error: AxiosError): boolean {
  return !error.response && NOT_SENT_CODES.has(error.code ?? "")
}

/**
 * Which failures are worth another attempt:
 * - 429 on any call: the gateway refused the request without acting on it;
 * - a connection that was never made, on any call;
 * - network errors and 5xx on reads (GET) only — a read is safe to repeat, a push is not.
 */
export function isRetryable(error: AxiosError): boolean {
  // Our own refusals (the request budget) are decisions, not failures of the moment.
  if (!(error instanceof AxiosError)) {
    return false
  }
  const status = error.response?.status
  if (status === 429) {
    return true
  }
  if (provablyNotSent(error)) {
    return true
  }
  const method = (error.config?.method ?? "get").toLowerCase()
  if (method !== "get") {
    return false
  }
  if (!error.response) {
    return error.code !== "ECONNABORTED" && error.code !== "ETIMEDOUT"
  }
  return status !== undefined && status >= 500
}

/** An axios instance that waits for the limiter, retries what is safe and never parses JSON. */
export function createHttp(options: HttpOptions): AxiosInstance {
  const http = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ""),
    timeout: options.timeoutMs,
    headers: {
      Authorization: `Bearer ${options.apiKey}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    // Keep the raw text: a body that is not JSON must be reported as such, not as `undefined`.
    // A gateway that echoes the key back in an error must not carry it into our errors.
    responseType: "text",
    transformResponse: [(data: unknown) => redact(data, options.apiKey)],
  })
  if (options.limiter) {
    const limiter = options.limiter
    // Runs again on every retry, so retries are paced too.
    http.interceptors.request.use(async (config) => {
      const requestClass: RequestClass = (config as { requestClass?: RequestClass }).requestClass ?? "job"
      try {
        await limiter.acquire(MAX_WAIT_MS[requestClass])
      } catch (error) {
        if (error instanceof BudgetExhausted) {
          throw budgetRefusal(options.gateway, requestClass, error.maxWaitMs)
        }
        throw error
      }
      return config
    })
  }
  axiosRetry(http, {
    retries: options.retries,
    retryCondition: isRetryable,
    retryDelay: (retryCount, error) => exponentialDelay(retryCount, error, options.retryBaseDelayMs),
  })
  return http
}

function redact(data: unknown, secret: string): unknown {
  return typeof data === "string" && secret ? data.split(secret).join("[redacted]") : data
}

export type RawResponse = { status: number; body: unknown; text: string }

/**
 * Sends one request and hands back the status and the parsed body, whatever the status, so
 * each client can read its gateway's error envelope. Only transport failures throw here.
 */
export async function send(
  http: AxiosInstance,
  gateway: GatewayName,
  request: { method: "GET" | "POST"; url: string; params?: Record<string, unknown>; data?: unknown; requestClass?: RequestClass }
): Promise<RawResponse> {
  let response: AxiosResponse<string>
  try {
    response = await http.request<string>(request)
  } catch (error) {
    if (GatewayError.is(error)) {
      throw error
    }
    if (error instanceof AxiosError && error.response) {
      response = error.response as AxiosResponse<string>
    } else {
      throw transportError(gateway, error, request.method)
    }
  }
  const text = typeof response.data === "string" ? response.data : ""
  return { status: response.status, body: parseJson(text), text }
}

const NOT_JSON = Symbol("not-json")

function parseJson(text: string): unknown {
  if (!text.trim()) {
    return undefined
  }
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

export function isNotJson(body: unknown): boolean {
  return body === NOT_JSON
}

function transportError(gateway: GatewayName, error: unknown, method: string): GatewayError {
  const name = gatewayLabel(gateway)
  const axiosError = error instanceof AxiosError ? error : undefined
  const code = axiosError?.code
  const timedOut = code === "ECONNABORTED" || code === "ETIMEDOUT"
  const reached: Reached = axiosError && provablyNotSent(axiosError) ? "no" : "unknown"
  const what = timedOut
    ? `${name} did not answer in time`
    : reached === "no"
      ? `${name} could not be reached (${code})`
      : `the connection to ${name} failed (${code ?? "network error"})`
  const consequence =
    method === "POST" && reached !== "no"
      ? " The payment prompt may or may not have been sent; check the payment status before retrying."
      : " Try again shortly."
  return new GatewayError({ gateway, kind: "unavailable", reached, message: `M-Pesa: ${what}.${consequence}` })
}

/** The code of a request the store itself did not send: its request budget had no slot in time. */
export const BUDGET_CODE = "LOCAL_BUDGET"

function budgetRefusal(gateway: GatewayName, requestClass: RequestClass, maxWaitMs: number): GatewayError {
  return new GatewayError({
    gateway,
    kind: "rate_limited",
    reached: "no",
    gatewayCode: BUDGET_CODE,
    message: `M-Pesa: this store's request budget for ${gatewayLabel(gateway)} has no slot free within ${maxWaitMs} ms for a ${requestClass}; not sent.`,
  })
}

export function gatewayLabel(gateway: GatewayName): string {
  return gateway === "lipia" ? "Lipia" : "Lipwa"
}
