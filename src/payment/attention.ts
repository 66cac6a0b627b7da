import { isOver, isPaidInFull, shopperStatus, type AttemptState } from "./attempt"
import { kes } from "../lib/amount"

/**
 * What the admin shows of an attempt: which flags need the merchant, in plain words with what
 * to do, and the attempt's timeline. Pure, so the admin routes and their tests read one truth.
 */
type Viewed = {
  state: AttemptState
  gateway: string
  receipt: string | null
  amount_requested: number | null
  amount_paid: number | null
  order_id: string | null
  paid_without_order: boolean
  paid_twice: boolean
  unverified: boolean
  amount_mismatch: boolean
  late_success: boolean
  refund_refused: boolean
  checks_abandoned: boolean
  message: string | null
  pushed_at: Date | string
  callback_at: Date | string | null
  checked_at: Date | string | null
  settled_at: Date | string | null
  resolved_at: Date | string | null
  resolved_by: string | null
  resolution_note: string | null
}

/** An amount in a merchant's words; one the gateway did not report is said to be unknown. */
const money = (amount: number | null | undefined) => (amount === null || amount === undefined ? "an unknown amount" : kes(amount))

export const ATTENTION_FLAGS = ["paid_without_order", "paid_twice", "unverified", "amount_mismatch", "late_success", "refund_refused", "checks_abandoned"] as const
export type AttentionFlag = (typeof ATTENTION_FLAGS)[number]

export type Attention = { flag: AttentionFlag; what: string; todo: string }

/** The flags on an attempt that still need the merchant (none once resolved). */
export function attentionOf(attempt: Viewed): Attention[] {
  if (attempt.resolved_at) {
    return []
  }
  const receipt = attempt.receipt ? ` (M-Pesa receipt ${attempt.receipt})` : ""
  const found: Attention[] = []
  if (attempt.paid_without_order) {
    found.push({
      flag: "paid_without_order",
      what: `The customer paid ${money(attempt.amount_paid ?? attempt.amount_requested)}${receipt}, but no order was placed: the cart changed after the prompt was sent, or the order could not be created (e.g. stock ran out).`,
      todo: "Place the order if the cart can still be fulfilled; otherwise reverse the payment from your M-Pesa portal. Then mark this resolved with a note.",
    })
  }
  if (attempt.paid_twice) {
    found.push({
      flag: "paid_twice",
      what: `The customer paid ${money(attempt.amount_paid ?? attempt.amount_requested)}${receipt} with M-Pesa, but its order had already been paid by another payment: the customer paid twice.`,
      todo: "Reverse this M-Pesa payment from your M-Pesa portal (or refund the other payment), then mark this resolved with a note.",
    })
  }
  if (attempt.unverified) {
    found.push({
      flag: "unverified",
      what: `A signed callback from ${attempt.gateway} reported ${money(attempt.amount_paid)} paid${receipt} for a prompt whose sending could not be confirmed, and ${attempt.gateway}'s status API cannot confirm it. Nothing was captured and no order was placed.`,
      todo: "Look the receipt up in your M-Pesa or aggregator portal. If the money is there, press Accept payment with a note saying how you checked: it pays the order once. If not, mark this resolved with a note.",
    })
  }
  if (attempt.amount_mismatch) {
    found.push({
      flag: "amount_mismatch",
      what: `The customer paid ${money(attempt.amount_paid)} but ${money(attempt.amount_requested)} was due${receipt}. Nothing was captured.`,
      todo: "Contact the customer: collect the difference or reverse the payment from your M-Pesa portal, then mark this resolved with a note.",
    })
  }
  if (attempt.late_success && !attempt.order_id && !attempt.paid_without_order) {
    found.push({
      flag: "late_success",
      what: `The payment${receipt} succeeded after the prompt had expired or failed.`,
      todo: "Check that an order exists for it; if not, place it or reverse the payment, then mark this resolved.",
    })
  }
  if (attempt.refund_refused) {
    found.push({
      flag: "refund_refused",
      what: `Medusa tried to refund this payment by itself${receipt}; M-Pesa cannot refund through the aggregator, so nothing was refunded.`,
      todo: "If the customer should get their money back, reverse it from your M-Pesa portal, record the refund on the order, then mark this resolved.",
    })
  }
  if (attempt.checks_abandoned) {
    found.push({
      flag: "checks_abandoned",
      what: `The ${attempt.gateway} status API could not be reached for this payment after repeated tries; the plugin stopped asking.`,
      todo: "Press Re-check once the gateway is reachable, or look the payment up in your M-Pesa portal.",
    })
  }
  return found
}

type Worded = Pick<Viewed, "state" | "paid_without_order" | "order_id"> & {
  origin?: string
  attested?: boolean
  unverified?: boolean
  resolved_at?: Date | string | null
}

const STATE_IN_WORDS = {
  // A claim stays `pushing` (the push's answer was lost) while a callback says it was paid:
  // nothing is being sent any more, and the merchant must read that money may have come.
  pushing: (attempt) =>
    attempt.unverified ? (attempt.resolved_at ? "Unverified claim — resolved by the merchant" : "Paid, says a callback — unverified") : "Sending the payment prompt",
  pending: () => "Waiting for the customer's PIN",
  paid: (attempt) => {
    // A payment made outside the prompt says how the store knows of it, wherever it shows: found
    // in the gateway's own list, or on the merchant's word alone (Lipia has no lookup).
    if (attempt.origin === "recorded" && !attempt.paid_without_order) {
      return attempt.attested ? "Paid — attested by the merchant" : "Paid — recorded by receipt"
    }
    // An unverified claim the merchant accepted on their word (workflows/accept-mpesa-claim.ts).
    if (attempt.attested && !attempt.paid_without_order) {
      return "Paid — accepted on the merchant's word"
    }
    // Resolved without an order, the merchant settled it by hand: automation places nothing.
    return attempt.order_id ? "Paid" : attempt.paid_without_order ? "Paid — no order" : attempt.resolved_at ? "Paid — resolved by the merchant" : "Paid — placing the order"
  },
  amount_mismatch: () => "Paid the wrong amount",
  failed: () => "Failed",
  expired: () => "Expired unanswered",
  not_sent: () => "Prompt not sent",
} as const satisfies Record<AttemptState, (attempt: Worded) => string>

/** The attempt's state in words, for the admin. */
export function stateInWords(attempt: Worded): string {
  // A state this release does not know (a newer one wrote it): the shopper's word for it.
  return STATE_IN_WORDS[attempt.state]?.(attempt) ?? shopperStatus(attempt.state)
}

export type TimelineEntry = {
  at: string
  event: "pushed" | "recorded" | "callback_received" | "verified" | "captured" | "paid" | "failed" | "expired" | "not_sent" | "resolved"
  detail?: string
  /** For a logged callback: its id in the callback log (GET /admin/mpesa/callbacks/:id). */
  callback_id?: string
}

/** A callback as the timeline tells it (the callback log's row, models/mpesa-callback.ts). */
export type TimelineCallback = { id: string; received_at: Date | string; signature_valid: boolean; answer_status: number; answer_code: string | null }

/** One line for a logged callback: was it genuine, and what did the store answer. */
export function callbackInWords(callback: Pick<TimelineCallback, "signature_valid" | "answer_status" | "answer_code">): string {
  const signature = callback.signature_valid ? "signature valid" : "signature invalid"
  return `${signature} · answered ${callback.answer_status}${callback.answer_code ? ` ${callback.answer_code}` : " ok"}`
}

const iso = (d: Date | string) => new Date(d).toISOString()

/** How the timeline tells the end of an attempt in each state (nothing while it is not over). */
const ENDING = {
  pushing: () => null,
  pending: () => null,
  paid: (a) => (a.settled_at ? { at: iso(a.settled_at), event: a.order_id ? "captured" : "paid", detail: a.receipt ?? undefined } : null),
  amount_mismatch: (a) => (a.settled_at ? { at: iso(a.settled_at), event: "paid", detail: a.message ?? undefined } : null),
  failed: (a) => (a.settled_at ? { at: iso(a.settled_at), event: "failed", detail: a.message ?? undefined } : null),
  not_sent: (a) => (a.settled_at ? { at: iso(a.settled_at), event: "not_sent", detail: a.message ?? undefined } : null),
  expired: (a) => ({ at: iso(a.checked_at ?? a.pushed_at), event: "expired" }),
} as const satisfies Record<AttemptState, (attempt: Viewed) => TimelineEntry | null>

/**
 * What happened to an attempt, oldest first, from what the ledger keeps — with every callback
 * the log still holds for it (else, once the log was pruned, the last one the ledger noted).
 */
export function timelineOf(attempt: Viewed & { origin?: string; requested_by?: string | null }, callbacks: TimelineCallback[] = []): TimelineEntry[] {
  const at = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)
  const heard: Array<TimelineEntry | null> = callbacks.length
    ? callbacks.map((c) => ({ at: at(c.received_at)!, event: "callback_received", detail: callbackInWords(c), callback_id: c.id }))
    : [attempt.callback_at ? { at: at(attempt.callback_at)!, event: "callback_received" } : null]
  const entries: Array<TimelineEntry | null> = [
    // A payment recorded by its receipt had no prompt: it starts when the money was paid.
    attempt.origin === "recorded"
      ? { at: at(attempt.pushed_at)!, event: "recorded", detail: [attempt.receipt, attempt.requested_by ? `by ${attempt.requested_by}` : null].filter(Boolean).join(", ") || undefined }
      : {
          at: at(attempt.pushed_at)!,
          event: "pushed",
          // A desk prompt says who sent it: the merchant's staff share one admin.
          detail:
            [attempt.amount_requested !== null ? kes(attempt.amount_requested) : null, attempt.origin === "admin_request" && attempt.requested_by ? `sent from the admin by ${attempt.requested_by}` : null]
              .filter(Boolean)
              .join(", ") || undefined,
        },
    ...heard,
    attempt.checked_at ? { at: at(attempt.checked_at)!, event: "verified", detail: "asked the status API" } : null,
    ENDING[attempt.state]?.(attempt) ?? null,
    attempt.resolved_at ? { at: at(attempt.resolved_at)!, event: "resolved", detail: [attempt.resolved_by, attempt.resolution_note].filter(Boolean).join(": ") } : null,
  ]
  return entries.filter((e): e is TimelineEntry => !!e).sort((a, b) => a.at.localeCompare(b.at))
}

/** How the admin colours an attempt: one word, decided here from the lifecycle's predicates. */
export type Tone = "attention" | "paid" | "waiting" | "ended"

export function toneOf(attempt: Viewed): Tone {
  if (attentionOf(attempt).length) {
    return "attention"
  }
  if (attempt.unverified && attempt.resolved_at && !isPaidInFull(attempt.state)) {
    // A claim the merchant settled is over, though its push never had an answer.
    return "ended"
  }
  if (isPaidInFull(attempt.state)) {
    return "paid"
  }
  return isOver(attempt.state) ? "ended" : "waiting"
}

