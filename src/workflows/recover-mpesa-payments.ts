import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { isLive } from "../payment/attempt"
import { shouldHold } from "../payment/confirm-retry"
import { pluginOptions } from "../payment/plugin-options"
import { confirmMpesaPaymentWorkflow } from "./confirm-mpesa-payment"
import { expireMpesaAttemptWorkflow } from "./expire-mpesa-attempt"
import { holdMpesaPaymentWorkflow } from "./hold-mpesa-payment"
import { recheckMpesaPaymentWorkflow } from "./recheck-mpesa-payment"
import { ledgerOf, type Attempt } from "../modules/mpesa/ledger"

export type RecoveryReport = { checked: number; settled: number; expired: number; failedChecks: number; reconfirmed: number }

/** A paid attempt whose confirmation event has not produced an order for this long is confirmed again. */
const CONFIRM_GRACE_MS = 30_000

/**
 * Status checks in flight at once. The gateway's limiter still paces the requests (Lipwa: 10
 * per second across processes); overlapping the round trips is what lets a backlog drain at
 * that rate rather than at one round trip plus one workflow at a time (bench: recovery).
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
  const list = async (filters: Record<string, unknown>, order: Record<string, "ASC" | "DESC">) =>
    (await ledger.listMpesaAttempts(filters as never, { take, order })) as unknown as Attempt[]

  const due = await list(
    { state: ["pending", "expired"], next_check_at: { $lte: now }, checks_abandoned: false },
    { next_check_at: "ASC" }
  )
  await inFlight(due, CHECKS_IN_FLIGHT, async (attempt) => {
    report.checked += 1
    const { result } = await recheckMpesaPaymentWorkflow(container).run({ input: { attempt_id: attempt.id } })
    report.settled += result.moved ? 1 : 0
    report.failedChecks += result.error ? 1 : 0
  })

  const lifetimeAgo = new Date(now.getTime() - options.promptLifetimeMs)
  const unanswered = await list({ state: ["pushing", "pending"], pushed_at: { $lt: lifetimeAgo } }, { pushed_at: "ASC" })
  // One still waiting for its check (a backlog larger than a batch) is asked first, in the next
  // run: expiring it unasked would tell a shopper who paid "expired" until the late-success check.
  const waitingForCheck = (a: Attempt) => a.state === "pending" && !a.checks_abandoned && !!a.next_check_at && new Date(a.next_check_at) <= now
  for (const attempt of unanswered.filter((a) => !waitingForCheck(a) && !isLive(a, options.promptLifetimeMs, now.getTime()))) {
    const { result } = await expireMpesaAttemptWorkflow(container).run({ input: { attempt_id: attempt.id } })
    report.expired += result.moved ? 1 : 0
  }

  const orphans = await list(
    { state: "paid", order_id: null, paid_without_order: false, settled_at: { $lt: new Date(now.getTime() - CONFIRM_GRACE_MS) } },
    { settled_at: "ASC" }
  )
  for (const attempt of orphans) {
    report.reconfirmed += 1
    try {
      const { result } = await confirmMpesaPaymentWorkflow(container).run({ input: { attempt_id: attempt.id } })
      if (result.paid_without_order) {
        await holdMpesaPaymentWorkflow(container).run({ input: { attempt_id: attempt.id } })
      }
    } catch (error) {
      if (!shouldHold(error, attempt.settled_at, now.getTime())) {
        logger.warn(`M-Pesa recovery: paid attempt ${attempt.id} could not become an order yet (${(error as Error).message}); trying again next run.`)
        continue
      }
      await holdMpesaPaymentWorkflow(container).run({ input: { attempt_id: attempt.id } })
      logger.error(`M-Pesa recovery: paid attempt ${attempt.id} could not become an order: ${(error as Error).message}. Held for the merchant.`)
    }
  }

  if (report.checked || report.expired || report.reconfirmed) {
    logger.info(
      `M-Pesa recovery: checked ${report.checked}, settled ${report.settled}, expired ${report.expired}, failed checks ${report.failedChecks}, reconfirmed ${report.reconfirmed}`
    )
  }
  return report
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
