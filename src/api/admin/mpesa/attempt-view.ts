import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { attentionOf, stateInWords, timelineOf, toneOf } from "../../../payment/attention"
import { endingInWords } from "../../../payment/prompt-outcome"
import { callbacksOf, type Attempt, type LoggedCallback } from "../../../modules/mpesa/ledger"
import { ordersOf, type OrderNumber } from "../../../workflows/queries/order-numbers"

/**
 * An attempt as the admin sees it: everything the ledger keeps but the phone hash, plus the
 * state in words, why it failed, what needs the merchant, and the order it is for by number
 * (`order_display_id`, `order_is_draft`, `for_order_id`: the order it paid, else the order or
 * draft it was asked for — `order_id` stays the ledger's, set once money was captured). Keys, secrets and
 * full phone numbers are never in the ledger to begin with. With its timeline: the callbacks
 * the log holds for it, whole, and who sent or recorded it by their email (`requested_by_email`).
 */
export function attemptView(attempt: Attempt, withTimeline = false, callbacks: LoggedCallback[] = [], requestedByEmail?: string, order?: OrderNumber) {
  const { phone_hash: _hash, ...rest } = attempt
  return {
    ...rest,
    ...(requestedByEmail ? { requested_by_email: requestedByEmail } : {}),
    for_order_id: order?.id ?? attempt.order_id,
    order_display_id: order?.display_id ?? null,
    order_is_draft: order?.draft ?? false,
    state_in_words: stateInWords(attempt),
    // The chart's and the CSV's words for how a prompt ended, so the three never disagree.
    failure_reason: endingInWords(attempt),
    tone: toneOf(attempt),
    attention: attentionOf(attempt),
    ...(withTimeline ? { timeline: timelineOf({ ...attempt, requested_by: requestedByEmail ?? attempt.requested_by }, callbacks), callbacks } : {}),
  }
}

/** A page of attempts without timelines: their orders' numbers read for the whole page at once. */
export async function attemptListViews(container: MedusaContainer, attempts: Attempt[]) {
  const orders = await ordersOf(container, attempts)
  return attempts.map((attempt, i) => attemptView(attempt, false, [], undefined, orders[i]))
}

/** Attempts with their timelines: their callbacks, the admins who sent them and their orders' numbers, one query each. */
export async function attemptViews(container: MedusaContainer, attempts: Attempt[]) {
  const userIds = [...new Set(attempts.map((a) => a.requested_by).filter((id): id is string => !!id?.startsWith("user_")))]
  const [callbacks, users, orders] = await Promise.all([
    callbacksOf(container, attempts.map((a) => a.id)),
    userIds.length
      ? container
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "user", fields: ["id", "email"], filters: { id: userIds } })
          .then(({ data }) => data as Array<{ id: string; email: string }>)
      : [],
    ordersOf(container, attempts),
  ])
  const emails = new Map(users.map((u) => [u.id, u.email]))
  return attempts.map((attempt, i) =>
    attemptView(
      attempt,
      true,
      callbacks.filter((c) => c.attempt_id === attempt.id),
      attempt.requested_by ? emails.get(attempt.requested_by) : undefined,
      orders[i]
    )
  )
}
