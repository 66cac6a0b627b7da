import type { Outcome } from "../lib/result-codes"

/**
 * The one interface both aggregator clients implement. Everything above it (the provider
 * base, callback routes, the recovery job) is written against these normalized shapes and
 * never against a vendor payload.
 */

export type { GatewayName } from "../lib/gateway-name"
import type { GatewayName } from "../lib/gateway-name"
import type { RequestClass } from "./rate-limit"

/** Where a payment stands, as far as money is concerned. */
export type PaymentState = "pending" | "paid" | "failed"

export type StkPushRequest = {
  /** Safaricom number in the 2547…/2541… form (see `checkSafaricomPhone`). */
  phone: string
  /** Whole Kenyan shillings (see `checkAmount`). */
  amount: number
  /** Our reference for the payment (the Medusa payment session id); echoed back by both gateways. */
  reference: string
  /** Where the gateway should POST the result. */
  callbackUrl?: string
  /** Extra flat key/values stored with the payment (Lipia only; Lipwa has no such field). */
  metadata?: Record<string, string | number | boolean>
}

export type StkPushResult = {
  gateway: GatewayName
  /** The id to pass to `getStatus` (Lipia `TransactionReference`, Lipwa `CheckoutRequestID`). */
  reference: string
  /**
   * The value a callback for this push carries to identify it (`CallbackResult.reference`).
   * Lipia callbacks do not carry the `TransactionReference`, only our `ExternalReference`;
   * Lipwa callbacks carry the `checkout_id`.
   */
  callbackReference: string
  /** M-Pesa's CheckoutRequestID, when the gateway tells us at push time (Lipwa does). */
  checkoutId?: string
  merchantRequestId?: string
  /** The gateway's description of the accepted request. */
  message: string
}

type Settlement = {
  gateway: GatewayName
  state: PaymentState
  /** Amount in KES as the gateway reports it (what was paid, for `paid`). */
  amount?: number
  /** The M-Pesa receipt number (e.g. `NEF61H8J60`), present once paid. */
  receipt?: string
  /** The M-Pesa result code, when the gateway reports one (Lipia does, Lipwa does not). */
  resultCode?: number
  outcome?: Outcome
  /** What to tell the shopper. */
  message: string
  /** The gateway's own text (e.g. `ResultDesc`), for logs and the admin. */
  gatewayMessage?: string
  /** Our reference as echoed back (Lipia `ExternalReference`, Lipwa `api_ref` when a string). */
  externalReference?: string
  /** Payer phone as reported by the gateway (unmasked: mask before logging). */
  phone?: string
  /** When M-Pesa settled the payment (ISO 8601), when reported. */
  settledAt?: string
}

export type StatusResult = Settlement & {
  /** The reference that was queried. */
  reference: string
  /**
   * False when the gateway does not know the reference. Lipia is known to answer "not found"
   * shortly after a push, so this is reported as `pending`, never as `failed`; the caller
   * decides when an unknown reference has been unknown for too long.
   */
  found: boolean
}

export type CallbackResult = Settlement & {
  /** Identifies the push this callback answers; compare with `StkPushResult.callbackReference`. */
  reference: string
  checkoutId?: string
  merchantRequestId?: string
  transactionId?: string
}

/** A payment the gateway's account received, from a transactions list (Lipwa has one; Lipia none). */
export type GatewayTransaction = {
  transactionId: string
  /** The status reference of the push it answered (Lipwa: the CheckoutRequestID). */
  reference: string
  receipt: string
  amount: number
  /** The payer's number as the gateway lists it (Lipwa: a JSON number), when it lists one. */
  phone?: string
  /** "Credit" (money received) or "Debit" (money going out), as the list says. */
  type?: string
  paidAt?: string
}

export interface MpesaGateway {
  readonly name: GatewayName
  /** Smallest amount the gateway accepts, in KES. */
  readonly minAmount: number
  /**
   * Whether a callback identifies its push by our own reference (Lipia: `ExternalReference`),
   * so a push whose answer was lost can still be matched to its callback.
   */
  readonly callbackCarriesOurReference: boolean
  /**
   * The status-API reference a callback gives away, when it does (Lipwa: the checkout id is
   * what `getStatus` takes). Lipia's callbacks lack its `TransactionReference`: undefined.
   */
  statusReferenceOf(callback: CallbackResult): string | undefined
  /** Sends one STK push. Never retried unless the request provably did not reach the gateway. */
  pushStk(request: StkPushRequest): Promise<StkPushResult>
  /** Asks the gateway where a payment stands. Safe to repeat. */
  getStatus(reference: string, requestClass?: RequestClass): Promise<StatusResult>
  /**
   * Parses a callback body. A callback is a hint, never proof of payment: confirm it with
   * `getStatus` before money is considered received. Throws `GatewayError`
   * (`unexpected_payload`) for a body that is not the documented shape.
   */
  parseCallback(body: unknown): CallbackResult
  /** Payments received, newest first — only where the gateway offers such a list. */
  listTransactions?(limit?: number): Promise<GatewayTransaction[]>
}
