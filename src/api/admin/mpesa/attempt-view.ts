import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { attentionOf, stateInWords, timelineOf, toneOf } from "../../../payment/attention"
import { callbacksOf, type Attempt, type LoggedCallback } from "../../../modules/mpesa/ledger"

/**
 * An attempt as the admin sees it: everything the ledger keeps but the phone hash, plus the
 * state in words and what needs the merchant. Keys, secrets and full phone numbers are never
 * in the ledger to begin with. With its timeline: the callbacks the log holds for it, whole,
 * and who sent or recorded it by their email (`requested_by_email`).
 */
export function attemptView(attempt: Attempt, withTimeline = false, callbacks: LoggedCallback[] = [], requestedByEmail?: string) {
  const { phone_hash: _hash, ...rest } = attempt
  return {
    ...rest,
    ...(requestedByEmail ? { requested_by_email: requestedByEmail } : {}),
    state_in_words: stateInWords(attempt),
    tone: toneOf(attempt),
    attention: attentionOf(attempt),
    ...(withTimeline ? { timeline: timelineOf({ ...attempt, requested_by: requestedByEmail ?? attempt.requested_by }, callbacks), callbacks } : {}),
  }
}

/** Attempts with their timelines: their callbacks read from the log, and the admins who sent them, one query each. */
export async function attemptViews(container: MedusaContainer, attempts: Attempt[]) {
  const userIds = [...new Set(attempts.map((a) => a.requested_by).filter((id): id is string => !!id?.startsWith("user_")))]
  const [callbacks, users] = await Promise.all([
    callbacksOf(container, attempts.map((a) => a.id)),
    userIds.length
      ? container
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "user", fields: ["id", "email"], filters: { id: userIds } })
          .then(({ data }) => data as Array<{ id: string; email: string }>)
      : [],
  ])
  const emails = new Map(users.map((u) => [u.id, u.email]))
  return attempts.map((attempt) =>
    attemptView(attempt, true, callbacks.filter((c) => c.attempt_id === attempt.id), attempt.requested_by ? emails.get(attempt.requested_by) : undefined)
  )
}
