import { failureMayStillPay, type AttemptState } from "./attempt"
import type { MpesaPluginOptions } from "./plugin-options"

type Timing = Pick<MpesaPluginOptions, "recoveryCheckAfterMs" | "recheckEveryMs" | "lateSuccessGraceMs" | "maxCheckFailures">

/** Expired attempts are asked about less often: a late success is rare, and Lipwa's budget is shared. */
export const EXPIRED_RECHECK_MS = 60_000
/**
 * However many shoppers poll or press Pay, an attempt is asked about at most once per this
 * long on their behalf (the job keeps its own schedule): outsiders cannot spend the store's
 * status-API budget.
 */
export const MIN_CHECK_SPACING_MS = 3_000

/** Whether a request-driven check (a poll, a new Pay press) may ask the gateway now. */
export function mayCheckNow(attempt: { checked_at: Date | string | null }, now = Date.now()): boolean {
  return !attempt.checked_at || now - new Date(attempt.checked_at).getTime() > MIN_CHECK_SPACING_MS
}

/** The longest wait between two checks of an attempt whose checks keep failing. */
export const MAX_BACKOFF_MS = 10 * 60_000

type CheckClock = { pushedAt: Date; now: Date; justPushed?: boolean; outcome?: string | null }

/** Every minute while the late-success grace period lasts, then never. */
function withinGrace(at: CheckClock, timing: Timing): Date | null {
  const now = at.now.getTime()
  return now + EXPIRED_RECHECK_MS <= at.pushedAt.getTime() + timing.lateSuccessGraceMs ? new Date(now + EXPIRED_RECHECK_MS) : null
}

const never = () => null

/** When, in each state, the job next asks the status API. */
const NEXT_CHECK = {
  // No reference to ask about yet.
  pushing: never,
  pending: (at, timing) => new Date(at.justPushed ? at.pushedAt.getTime() + timing.recoveryCheckAfterMs : at.now.getTime() + timing.recheckEveryMs),
  paid: never,
  amount_mismatch: never,
  failed: (at, timing) => (failureMayStillPay(at.outcome) ? withinGrace(at, timing) : null),
  expired: withinGrace,
  not_sent: never,
} as const satisfies Record<AttemptState, (at: CheckClock, timing: Timing) => Date | null>

/**
 * When the recovery job should next ask the status API about an attempt, or null when it
 * should not: money received and definitive failures need no more checks, a push in flight
 * has no reference to ask about, and an expired prompt — or a failure that can still turn
 * into money (`failureMayStillPay`) — is asked about until its grace period ends. Pure, so
 * the job's whole policy is one table-tested function.
 */
export function nextCheckAt(state: AttemptState, at: CheckClock, timing: Timing): Date | null {
  // A state this release does not know (a newer one wrote it) is not asked about.
  return NEXT_CHECK[state]?.(at, timing) ?? null
}

/** After a failed check: back off exponentially, and give up (flag) after `maxCheckFailures`. */
export function afterFailedCheck(failures: number, now: Date, timing: Timing): { next_check_at: Date | null; checks_abandoned: boolean } {
  if (failures >= timing.maxCheckFailures) {
    return { next_check_at: null, checks_abandoned: true }
  }
  const wait = Math.min(timing.recheckEveryMs * 2 ** (failures - 1), MAX_BACKOFF_MS)
  return { next_check_at: new Date(now.getTime() + wait), checks_abandoned: false }
}
