import { kes } from "./recorded-payment"
import type { RefusalCode } from "./refusals"

/**
 * When an M-Pesa payment may be recorded as refunded. Neither aggregator can reverse a
 * payment through its API, so a refund is only ever the record of a reversal the merchant made
 * by hand in the M-Pesa portal — with `manualRefunds` on, and only when the merchant pressed
 * Refund in the admin (the plugin's guard on `POST /admin/payments/:id/refund` puts a request
 * on the payment first). A refund nobody asked for — Medusa's own compensation after a failed
 * cart completion — is refused and reported, so it is never written down as money returned.
 */

/**
 * Where a shop owner reads how to record refunds made by hand: a refusal points there rather
 * than naming the provider option (`manualRefunds`) the README explains to whoever configures the store.
 */
export const REFUNDS_README = `see "Refunds" in the M-Pesa plugin's README`

/** Put on a Payment's data by the admin refund guard: the merchant pressed Refund. */
export type RefundRequest = { requested_at: string; requested_by?: string; amount?: number; note?: string }

export type RecordedRefund = { amount: number; refund_id?: string; recorded_at: string; requested_by?: string; note: string; merchant_note?: string }

/** How long a refund the merchant asked for in the admin stays valid for the provider. */
export const REFUND_REQUEST_TTL_MS = 10 * 60_000

/** A refund request made in the last few minutes — never one dated in the future. */
export function isFreshRequest(requestedAt: unknown, now = Date.now()): boolean {
  const age = now - Date.parse(String(requestedAt))
  return Number.isFinite(age) && age >= 0 && age < REFUND_REQUEST_TTL_MS
}

export type RefundDecision =
  | { refused: Extract<RefusalCode, "MPESA_REFUND_NOT_REQUESTED" | "MPESA_REFUND_NOT_SUPPORTED">; message: string }
  | { data: Record<string, unknown> }

/**
 * What becomes of a refund of `amount` shillings on a payment whose data is `data`: refused
 * (with the merchant's words), or the payment's data with the refund recorded and the request
 * used up.
 */
export function decideRefund(input: {
  amount: number
  data: Record<string, unknown>
  manualRefunds: boolean
  /** "Lipia" / "Lipwa", and the provider's id part ("lipia"). */
  label: string
  gateway: string
  refundId?: string
  now?: number
}): RefundDecision {
  const { amount, data, label } = input
  const receipt = typeof data.receipt === "string" ? ` (M-Pesa receipt ${data.receipt})` : ""
  const request = data.refund_request as RefundRequest | undefined
  if (!request || !isFreshRequest(request.requested_at, input.now)) {
    return {
      refused: "MPESA_REFUND_NOT_REQUESTED",
      message: `Medusa tried to refund ${kes(amount)}${receipt} by itself (not from the admin's Refund button). M-Pesa cannot refund through ${label}, so nothing was refunded or recorded; the payment is flagged in the M-Pesa ledger for you to settle with the customer.`,
    }
  }
  if (!input.manualRefunds) {
    return {
      refused: "MPESA_REFUND_NOT_SUPPORTED",
      message: `M-Pesa payments cannot be refunded through ${label}. Reverse ${kes(amount)}${receipt} to the customer from your M-Pesa portal; to record refunds made that way in Medusa, ${REFUNDS_README}.`,
    }
  }
  const { refund_request: _used, ...rest } = data
  const recorded: RecordedRefund = {
    amount,
    refund_id: input.refundId,
    recorded_at: new Date(input.now ?? Date.now()).toISOString(),
    requested_by: request.requested_by,
    note: "Reversed by the merchant in the M-Pesa portal (manualRefunds).",
    ...(request.note ? { merchant_note: request.note } : {}),
  }
  return { data: { ...rest, refunds: [...((data.refunds as RecordedRefund[] | undefined) ?? []), recorded] } }
}
