import { describeSettlement, type Outcome } from "../lib/result-codes"
import type { AttemptState } from "./attempt"

/**
 * How an STK prompt ended, in the words a merchant charts them by ("timeouts doubled since
 * Tuesday"). The ledger keeps the lifecycle state and the outcome result-codes.ts gave the
 * M-Pesa result code; this file is the one place that folds those into the chart's buckets, so
 * the admin route, the card and the tests read one truth and no raw code is read twice.
 */

/** The buckets of ended prompts, in the order the chart stacks them (paid at the bottom). */
export const PROMPT_BUCKETS = ["paid", "cancelled", "timeout", "insufficient_funds", "wrong_pin", "not_sent", "other"] as const
export type PromptBucket = (typeof PROMPT_BUCKETS)[number]

/** A prompt still on the phone (or on its way) has not ended: counted apart, never charted. */
export type PromptOutcome = PromptBucket | "waiting"

/** The legend: a short label for the chart and a sentence for its hover text. */
export const PROMPT_BUCKET_WORDS: Record<PromptBucket, { label: string; description: string }> = {
  paid: { label: "Paid", description: "The shopper entered their PIN and paid the amount asked." },
  cancelled: { label: "Cancelled by the shopper", description: "The shopper declined the prompt on their phone (M-Pesa 1032)." },
  timeout: {
    label: "No answer (timeout)",
    description: "Nobody answered the prompt before it ran out: the phone was off, locked or out of reach (M-Pesa 1037, 1019, or the prompt's lifetime passed).",
  },
  insufficient_funds: { label: "Insufficient funds", description: "The shopper's M-Pesa balance was too low (M-Pesa 1)." },
  wrong_pin: { label: "Wrong PIN", description: "The shopper entered a wrong M-Pesa PIN (M-Pesa 2001)." },
  not_sent: { label: "Not sent", description: "The gateway refused or could not take the request, so no prompt reached the phone." },
  other: {
    label: "Other",
    description:
      "Any other end: another M-Pesa payment in progress on the phone, a payment of the wrong amount, or a failure the gateway gave no reason for (Lipwa never says why a prompt failed).",
  },
}

// Exhaustive over result-codes.ts's outcomes, so a new outcome there fails the type check here
// until someone decides which bucket it belongs to.
const BUCKET_OF_FAILURE: Record<Outcome, PromptBucket> = {
  cancelled: "cancelled",
  timeout: "timeout",
  // M-Pesa's own "expired" (1019) is the same story for the merchant: nobody answered in time.
  expired: "timeout",
  insufficient_funds: "insufficient_funds",
  wrong_pin: "wrong_pin",
  busy: "other",
  failed: "other",
  // A failure that says "paid" contradicts itself; it is not counted as money.
  paid: "other",
}

const KNOWN_OUTCOMES: readonly string[] = Object.keys(BUCKET_OF_FAILURE)

/**
 * The one state whose prompts are charted as paid. The query computes the median time to pay
 * in SQL over these states, so it must agree with promptOutcomeOf (a unit test holds them equal).
 */
export const PAID_STATES = ["paid"] as const satisfies readonly AttemptState[]

export type ChartedAttempt = {
  state: AttemptState
  /** What result-codes.ts made of the gateway's answer (null before the outcome was recorded). */
  outcome: string | null
  result_code: number | null
}

/** Which bucket each state's prompts end in (a failure: by its outcome). */
const OUTCOME_OF_STATE = {
  pushing: "waiting",
  pending: "waiting",
  paid: "paid",
  not_sent: "not_sent",
  // Our clock ran out with no answer from the phone: a timeout, whatever the gateway says later.
  expired: "timeout",
  // Money came, but not the amount asked: not a sale, and not a refusal either.
  amount_mismatch: "other",
  failed: (attempt) => BUCKET_OF_FAILURE[failureOutcome(attempt)],
} as const satisfies Record<AttemptState, PromptOutcome | ((attempt: ChartedAttempt) => PromptOutcome)>

/** Which bucket an attempt's prompt ended in, or `waiting` while it may still be answered. */
export function promptOutcomeOf(attempt: ChartedAttempt): PromptOutcome {
  const outcome: PromptOutcome | ((attempt: ChartedAttempt) => PromptOutcome) | undefined = OUTCOME_OF_STATE[attempt.state]
  if (outcome === undefined) {
    // A state this release does not know (a newer plugin wrote it): counted, not guessed at.
    return "other"
  }
  return typeof outcome === "function" ? outcome(attempt) : outcome
}

/**
 * The outcome of a failed attempt. Rows recorded before the ledger kept `outcome` have only the
 * result code: it is read through describeSettlement, exactly as a new failure would have been,
 * so a code is never interpreted twice in two ways (and code 0 on a failure is no payment).
 */
function failureOutcome(attempt: ChartedAttempt): Outcome {
  if (attempt.outcome && KNOWN_OUTCOMES.includes(attempt.outcome)) {
    return attempt.outcome as Outcome
  }
  return describeSettlement("failed", attempt.result_code).outcome ?? "failed"
}

/**
 * Why a prompt did not end paid, in the chart's words, so the list, the CSV and the chart never
 * disagree (null while it may still be answered, and once paid). "Other" is split into what the
 * ledger knows, and says so plainly when the gateway gave no reason (Lipwa never does).
 */
export function endingInWords(attempt: ChartedAttempt & { gateway?: string | null }): string | null {
  const bucket = promptOutcomeOf(attempt)
  if (bucket === "paid" || bucket === "waiting") {
    return null
  }
  if (bucket !== "other") {
    return PROMPT_BUCKET_WORDS[bucket].label
  }
  if (attempt.state === "amount_mismatch") {
    return "Paid a different amount than asked"
  }
  if (attempt.state === "failed" && failureOutcome(attempt) === "busy") {
    return "Another M-Pesa payment was in progress on the phone"
  }
  if (attempt.result_code) {
    return `Failed (M-Pesa code ${attempt.result_code})`
  }
  return attempt.gateway === "lipwa" ? "Failed — Lipwa gives no reason" : "Failed — the gateway gave no reason"
}

// ---- The chart's calendar: Nairobi days ----------------------------------------------------

/**
 * Kenya is UTC+3 all year (no daylight saving), so a fixed offset is exact; the query groups by
 * the same calendar in PostgreSQL with `at time zone 'Africa/Nairobi'`.
 */
export const CHART_TIME_ZONE = "Africa/Nairobi"
const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

/** The chart's default period, and the longest one asked for (a year, leap day included). */
export const DEFAULT_PERIOD_DAYS = 14
export const MAX_PERIOD_DAYS = 366

/**
 * `at` as Nairobi's wall clock with its offset (2026-12-06T12:52:00+03:00): what the accountant's
 * file shows, on the same calendar as the chart, and still one exact instant for a spreadsheet.
 */
export function nairobiTime(at: Date | string): string {
  return new Date(new Date(at).getTime() + NAIROBI_OFFSET_MS).toISOString().slice(0, 19) + "+03:00"
}

/** `YYYY-MM-DD` of the Nairobi calendar day `at` falls on. */
export function nairobiDay(at: Date): string {
  return new Date(at.getTime() + NAIROBI_OFFSET_MS).toISOString().slice(0, 10)
}

/** Whether `day` is a real `YYYY-MM-DD` calendar day (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return false
  }
  const parsed = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day
}

/** The instant a Nairobi day begins. */
export function nairobiMidnight(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - NAIROBI_OFFSET_MS)
}

/** The day `n` days after `day` (before, when `n` is negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/** How many days `from` to `to` covers, both included (0 when `to` is before `from`). */
export function daysInPeriod(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1)
}

/** Every day from `from` to `to`, both included: the chart's x-axis, with no gaps. */
export function daysOfPeriod(from: string, to: string): string[] {
  return Array.from({ length: daysInPeriod(from, to) }, (_, i) => addDays(from, i))
}
