import type { AttemptState } from "../../payment/attempt-states"
import type { Attempt } from "./types"

/** The ledger's filter by state: a short name for each (the server words a single attempt: `state_in_words`). */
export const STATE_WORDS = {
  pending: "Pending",
  paid: "Paid",
  amount_mismatch: "Wrong amount",
  failed: "Failed",
  expired: "Expired",
  not_sent: "Not sent",
  pushing: "Sending",
} as const satisfies Record<AttemptState, string>

export const EVENT_WORDS: Record<string, string> = {
  pushed: "Prompt sent",
  recorded: "Paid outside the prompt, recorded by receipt",
  callback_received: "Callback received",
  verified: "Verified with the gateway",
  captured: "Paid and captured",
  paid: "Paid",
  failed: "Failed",
  expired: "Expired",
  not_sent: "Not sent",
  resolved: "Resolved by the merchant",
}

export const ORIGIN_WORDS: Record<string, string> = {
  checkout: "checkout",
  admin_request: "requested from the admin",
  recorded: "recorded by receipt",
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

export const MODE_WORDS = { live: "Live", sandbox: "Sandbox — no real money", test: "Test URL — not the gateway's production API" } as const

/** The providers that do not take real money, in one line for a badge; undefined when all are live. */
export function testModeLine(providers: Array<{ label: string; mode: keyof typeof MODE_WORDS }>): string | undefined {
  const notLive = providers.filter((p) => p.mode !== "live")
  if (!notLive.length) {
    return undefined
  }
  const modes = [...new Set(notLive.map((p) => p.mode))]
  return `${modes.length === 1 ? MODE_WORDS[modes[0]] : "Test mode"} (${[...new Set(notLive.map((p) => p.label))].join(", ")})`
}

type Ordered = { order_id: string | null; for_order_id?: string | null; order_display_id?: number | null; order_is_draft?: boolean }

/** An attempt's order as the merchant reads it in Medusa's admin: "#1001", "Draft #3"; undefined without one. */
export function orderNumber(attempt: Ordered): string | undefined {
  if (!(attempt.for_order_id ?? attempt.order_id)) {
    return undefined
  }
  const number = attempt.order_display_id ? `#${attempt.order_display_id}` : "an order"
  return attempt.order_is_draft ? `Draft ${number}` : number
}

/** Where Medusa's admin shows that order (a router path, under the admin's base path). */
export function orderPath(attempt: Ordered): string | undefined {
  const id = attempt.for_order_id ?? attempt.order_id
  return id ? `/${attempt.order_is_draft ? "draft-orders" : "orders"}/${id}` : undefined
}

/** The same in a sentence: "order #1001", "draft order #3". */
export function orderWords(attempt: Ordered): string | undefined {
  const number = orderNumber(attempt)
  return number ? `${attempt.order_is_draft ? "draft order" : "order"} ${number.replace(/^Draft /, "")}` : undefined
}
