/**
 * The sandbox's public types. Everything here is re-exported from `./index`.
 */

/** Which aggregator a payment, request or callback belongs to. */
export type Api = "lipia" | "lipwa"

/** How an STK prompt ends. Each failure maps to the M-Pesa result code the phone would produce. */
export type Outcome =
  | "success"
  | "cancelled"
  | "timeout"
  | "insufficient_funds"
  | "wrong_pin"
  | "expired"
  | "busy"
  | "underpaid"

/** What happens to the callback when a payment settles. */
export type CallbackMode = "send" | "lost" | "duplicate"

export type PaymentStatus = "pending" | "success" | "failed"

export interface ResendOptions {
  /** Deliver to this URL instead of the push's callback_url. */
  url?: string
}

/**
 * How the money came: an STK push the sandbox prompted for, or a payment the customer made to
 * the merchant's Paybill or Till by themselves (`recordTillPayment`), which no prompt asked for.
 */
export type PaymentChannel = "stk_push" | "till"

/** One payment as the sandbox remembers it (a copy: changing it changes nothing). */
export interface SandboxPayment {
  api: Api
  channel: PaymentChannel
  /** Lipia `TransactionReference` (24 hex chars) or Lipwa `CheckoutRequestID`. */
  ref: string
  /** The M-Pesa CheckoutRequestID (`ws_CO_…`); for Lipwa it equals `ref`. */
  checkoutRequestId: string
  merchantRequestId: string
  /** 2547…/2541… form. */
  phone: string
  maskedPhone: string
  /** KES requested. */
  amount: number
  /** KES paid, once settled successfully; may differ from `amount` (underpaid). */
  amountPaid: number | null
  /** Lipia `external_reference` or Lipwa `api_ref`, exactly as sent. */
  externalReference: string | number | Record<string, unknown> | null
  /** Lipia `metadata` as sent ({} when absent); always {} for Lipwa. */
  metadata: Record<string, unknown>
  /** Lipwa `channel_id`; null for Lipia. */
  channelId: string | null
  callbackUrl: string | null
  status: PaymentStatus
  outcome: Outcome | null
  /** M-Pesa result code once settled (0 = paid). */
  resultCode: number | null
  resultDesc: string | null
  /** M-Pesa receipt, once paid. */
  receipt: string | null
  /** The magic number's behaviour, when the phone is one (see magic-numbers.ts). */
  magic: MagicBehaviour | null
  /** When the sandbox will settle this payment by itself (ISO), or null if it waits. */
  autoSettleAt: string | null
  /** What was done with the callback at settlement; null while pending. */
  callback: CallbackMode | null
  createdAt: string
  settledAt: string | null
  /** Lipwa's `transaction_type` in its transactions list: "Credit" but for a debit recorded with recordTillPayment. */
  transactionType: "Credit" | "Debit"
}

export interface MagicBehaviour {
  /** null: never settles by itself. */
  outcome: Outcome | null
  callback: CallbackMode
  description: string
}

/** One callback POST made by the sandbox. */
export interface CallbackDelivery {
  ref: string
  api: Api
  url: string
  body: unknown
  /** HTTP status the receiver answered; absent when the POST failed. */
  status?: number
  /** The receiver's answer as text (truncated to 10 kB). */
  responseBody?: string
  /** Why the POST failed (network error, timeout, abort). */
  error?: string
  /** When the POST was sent (ISO). */
  at: string
  durationMs: number
}

/** One request the sandbox received. The Authorization header is never stored. */
export interface ReceivedRequest {
  api: Api | "control"
  method: string
  /** Full path, e.g. /lipia/api/v2/payments/stk-push. */
  path: string
  query: Record<string, string>
  /** HTTP status answered; null when the socket was destroyed (fault "reset"). */
  status: number | null
  /** Parsed JSON body, or the raw text when it was not JSON; undefined when empty. */
  body: unknown
  at: string
  /** The fault applied to this request, if any. */
  fault?: FaultMode
}

export type FaultMode = "http_500" | "http_503" | "http_429" | "payment_error" | "malformed_json" | "delay" | "reset"

export interface Fault {
  api: Api
  /** Suffix of the request path, e.g. "/payments/stk-push"; absent = any path of that API. */
  path?: string
  mode: FaultMode
  /** For mode "delay" (default 1000). */
  delayMs?: number
  /** How many matching requests get the fault (default 1). */
  times?: number
}

/** A payment to the merchant's Paybill or Till, made outside any prompt (Lipwa lists it in its transactions). */
export interface TillPayment {
  /** The payer's number, in any spelling Lipia or Lipwa documents (0712…, 254712…, +254712…). */
  phone: string
  /** Whole KES paid (at least 1). */
  amount: number
  /** The M-Pesa receipt, 10 letters and digits; a fresh, dated one when left out. */
  receipt?: string
  /** Only the account of this Lipwa API key lists it; when left out, every account does. */
  apiKey?: string
  /**
   * "Credit" (default): money the customer paid in. "Debit": money going out of the account
   * (Lipwa's list holds both, `transaction_type`), e.g. a withdrawal, for the same amount.
   */
  type?: "Credit" | "Debit"
  /** When it was paid (ISO); default now. An older date lists it further down, as Lipwa lists newest first. */
  paidAt?: string
}

export interface SettleOptions {
  /** KES paid, for "success" or "underpaid" (default: the amount, or floor(amount / 2) when underpaid). */
  amount?: number
  /** Default "send". */
  callback?: CallbackMode
}

export type SandboxOptions = {
  /** Default 0: a random free port (the CLI defaults to 4010). */
  port?: number
  /** Default "127.0.0.1". */
  host?: string
  /** Non-magic numbers wait for approve/decline on /phone (or the control API) instead of auto-approving. */
  manual?: boolean
  /** Delay before a prompt settles by itself. Default 1500. */
  approveDelayMs?: number
  /** If given, only these bearer tokens are accepted by the Lipia API; otherwise any non-empty token. */
  lipiaApiKeys?: string[]
  /** Same for Lipwa. */
  lipwaApiKeys?: string[]
  /** If given, only these channel_id values are accepted; otherwise any non-empty channel_id. */
  lipwaChannels?: string[]
  /** Lipwa requests per second per API key before 429. Default 10 (reference/lipwa-api.txt, "Rate Limits"). */
  lipwaRateLimit?: number
  /** A fresh Lipia push answers "not found" on the status API for this long. Default 0. */
  lipiaNotFoundForMs?: number
  /** Default: silent. Phone numbers are masked in every line. */
  logger?: (line: string) => void
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:4010 */
  url: string
  /** `${url}/lipia/api/v2` */
  lipiaBaseUrl: string
  /** `${url}/lipwa/api` */
  lipwaBaseUrl: string
  /** Stops timers, aborts callbacks in flight and closes the server. */
  close(): Promise<void>
  payments(): SandboxPayment[]
  /** By Lipia TransactionReference, CheckoutRequestID, or external_reference / api_ref string. */
  payment(ref: string): SandboxPayment | undefined
  /**
   * A payment the customer made to the merchant's Paybill or Till outside any prompt: received
   * at once, no callback, listed by Lipwa's `GET /transactions` in its documented shape.
   */
  recordTillPayment(payment: TillPayment): SandboxPayment
  /** Settles a pending payment; resolves once its callback delivery attempt(s) finished. */
  settle(ref: string, outcome: Outcome, opts?: SettleOptions): Promise<SandboxPayment>
  /**
   * POSTs the callback of a settled payment again: to the push's callback_url, or to `url`
   * (e.g. Medusa's generic `/hooks/payment/…` route, which the benchmarks compare against).
   */
  resendCallback(ref: string, opts?: ResendOptions): Promise<CallbackDelivery>
  callbacks(): CallbackDelivery[]
  requests(): ReceivedRequest[]
  injectFault(f: Fault): void
  /** Forgets payments, callbacks, requests, faults and rate-limit windows. */
  reset(): void
  /** Polls `predicate` every 10 ms; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>
}
