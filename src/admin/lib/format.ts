import type { Attempt } from "./types"

export const EVENT_WORDS: Record<string, string> = {
  pushed: "Prompt sent",
  callback_received: "Callback received",
  verified: "Verified with the gateway",
  captured: "Paid and captured",
  paid: "Paid",
  failed: "Failed",
  expired: "Expired",
  not_sent: "Not sent",
  resolved: "Resolved by the merchant",
}

export const FLAG_WORDS: Record<string, string> = {
  paid_without_order: "Paid, no order",
  paid_twice: "Paid twice",
  unverified: "Unverified payment",
  amount_mismatch: "Wrong amount",
  late_success: "Late success",
  refund_refused: "Refund refused",
  checks_abandoned: "Checks given up",
}

export function kes(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? "—" : `KES ${amount.toLocaleString("en-KE")}`
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "—"
}

const TONE_COLOR = { attention: "orange", paid: "green", waiting: "blue", ended: "red" } as const

/** The badge colour of an attempt, from the tone the server decided. */
export function stateColor(attempt: Pick<Attempt, "tone">): (typeof TONE_COLOR)[Attempt["tone"]] {
  return TONE_COLOR[attempt.tone]
}
