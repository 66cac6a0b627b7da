import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { ledgerOf, type Attempt } from "../modules/mpesa/ledger"
import { CHECKED_STATES, isLive, LIVE_STATES, STATE } from "../payment/attempt"
import { afterFailedCheck } from "../payment/check-schedule"
import { RECOVERY_CART_LOCK_WAIT } from "../payment/confirm-retry"
import { pluginOptions, type MpesaPluginOptions } from "../payment/plugin-options"
import { expireMpesaAttemptWorkflow } from "./expire-mpesa-attempt"
import { recheckMpesaPaymentWorkflow } from "./recheck-mpesa-payment"
import { finishRecording } from "./record-mpesa-payment"
import { settleMpesaPayment } from "./settle-mpesa-payment"

export type RecoveryReport = { checked: number; settled: number; expired: number; failedChecks: number; reconfirmed: number }

/** A paid attempt whose confirmation event has not produced an order for this long is confirmed again. */
const CONFIRM_GRACE_MS = 30_000

/**
 * Status checks in flight at once. The gateway's limiter still paces the requests (Lipwa: 10
 * per second across processes); overlapping the round trips is what lets a backlog drain at
 * that rate rather than at one round trip plus one workflow at a time (bench: recovery). What
 * a check decides is settled through the `mpesa.attempt_decided` event, where each process
 * completes at most CONFIRMATIONS_IN_FLIGHT carts at once (settle-mpesa-payment.ts): a run
 * stays short, so a worker killed mid-run holds the recovery lock for seconds' worth of work.
 */
export const CHECKS_IN_FLIGHT = 4

/**
 * One bounded run of recovery, for attempts whose callback (or whose confirmation event) was
 * lost. Everything it needs is in the ledger, selected in the database by state and due time,
 * at most `recoveryBatchSize` of each kind per run:
 *
 * 1. attempts due a status check (pending, or expired within the grace period): asked through
 *    the re-check workflow, which backs off and finally flags attempts whose checks keep failing;
 * 2. prompts past their lifetime and still unanswered, once asked: expired;
 * 3. paid attempts with no order and no flag, settled a while ago: confirmed again (the event
 *    that should have done it was lost, or its confirmation failed for a passing reason).
 *    Confirmation failing for good — or still failing 10 minutes after the payment — holds the
 *    attempt for the merchant, so nothing is retried forever.
 *
 * The caller holds the recovery lock (jobs/recover-mpesa-payments.ts): one run at a time.
 */
export async function runRecovery(container: MedusaContainer, now = new Date()): Promise<RecoveryReport> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const options = pluginOptions(container)
  const ledger = ledgerOf(container)
  const take = options.recoveryBatchSize
  const report: RecoveryReport = { checked: 0, settled: 0, expired: 0, failedChecks: 0, reconfirmed: 0 }
  // A resolved attempt is the merchant's: no pass below ever touches it.
  const open = { resolved_at: null }

  // Each attempt on its own: one that throws (a provider no longer configured, a hold that
  // fails) is logged and flagged on that attempt, and the run goes on to the next one and
  // to the next pass — one bad row must never stop recovery for every payment.
  const isolated = async (attempt: Attempt, pass: string, work: () => Promise<void>) => {
    try {
      await work()
    } catch (error) {
      logger.error(`M-Pesa recovery (${pass}): attempt ${attempt.id} failed: ${(error as Error).message}; flagged, and the run goes on.`)
      await noteFailedCheck(container, attempt, options).catch(() => undefined)
    }
  }

  const due = await ledger.listMpesaAttempts(
    { ...open, state: [...CHECKED_STATES], next_check_at: { $lte: now }, checks_abandoned: false },
    { take, order: { next_check_at: "ASC" } }
  )
  await inFlight(due, CHECKS_IN_FLIGHT, (attempt) =>
    isolated(attempt, "check", async () => {
      report.checked += 1
      const { result } = await recheckMpesaPaymentWorkflow(container).run({ input: { attempt_id: attempt.id } })
      report.settled += result.moved ? 1 : 0
      report.failedChecks += result.error ? 1 : 0
    })
  )

  const lifetimeAgo = new Date(now.getTime() - options.promptLifetimeMs)
  const unanswered = await ledger.listMpesaAttempts(
    { ...open, state: [...LIVE_STATES], pushed_at: { $lt: lifetimeAgo } },
    { take, order: { pushed_at: "ASC" } }
  )
  // One still waiting for its check (a backlog larger than a batch) is asked first, in the next
  // run: expiring it unasked would tell a shopper who paid "expired" until the late-success check.
  const waitingForCheck = (a: Attempt) => a.state === STATE.pending && !a.checks_abandoned && !!a.next_check_at && new Date(a.next_check_at) <= now
  for (const attempt of unanswered.filter((a) => !waitingForCheck(a) && !isLive(a, options.promptLifetimeMs, now.getTime()))) {
    await isolated(attempt, "expiry", async () => {
      const { result } = await expireMpesaAttemptWorkflow(container).run({ input: { attempt_id: attempt.id } })
      report.expired += result.moved ? 1 : 0
    })
  }

  const orphans = await ledger.listMpesaAttempts(
    { ...open, state: STATE.paid, order_id: null, paid_without_order: false, settled_at: { $lt: new Date(now.getTime() - CONFIRM_GRACE_MS) } },
    { take, order: { settled_at: "ASC" } }
  )
  for (const attempt of orphans) {
    await isolated(attempt, "settle", async () => {
      report.reconfirmed += 1
      // A recording a crash cut short has no session yet: it is finished first (or held, in words).
      if (attempt.origin === "recorded" && !attempt.session_id && !(await finishRecording(container, attempt.id))) {
        return
      }
      // A busy cart is left for the next run rather than waited for: the run settles one paid cart after another.
      const settled = await settleMpesaPayment(container, attempt.id, { now: now.getTime(), cartLockWait: RECOVERY_CART_LOCK_WAIT })
      if (settled.outcome === "retry_later") {
        logger.warn(`M-Pesa recovery: paid attempt ${attempt.id} could not become an order yet (${settled.error}); trying again next run.`)
      }
    })
  }

  if (report.checked || report.expired || report.reconfirmed) {
    logger.info(
      `M-Pesa recovery: checked ${report.checked}, settled ${report.settled}, expired ${report.expired}, failed checks ${report.failedChecks}, reconfirmed ${report.reconfirmed}`
    )
  }
  return report
}

/** Counts a failure on the attempt and backs its next check off (and finally flags it), as a failed status check does. */
async function noteFailedCheck(container: MedusaContainer, attempt: Attempt, timing: MpesaPluginOptions): Promise<void> {
  const now = new Date()
  const failures = attempt.check_failures + 1
  await ledgerOf(container).updateMpesaAttempts({ id: attempt.id, check_failures: failures, ...afterFailedCheck(failures, now, timing) })
}

/** Runs `work` over `items` with at most `limit` at a time; resolves when all are done. */
async function inFlight<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      await work(items[next++])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}
