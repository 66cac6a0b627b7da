import type { MedusaContainer } from "@medusajs/framework/types"

import { attentionOf, stateInWords, timelineOf, toneOf } from "../../../payment/attention"
import { callbacksOf, type Attempt, type LoggedCallback } from "../../../modules/mpesa/ledger"

/**
 * An attempt as the admin sees it: everything the ledger keeps but the phone hash, plus the
 * state in words and what needs the merchant. Keys, secrets and full phone numbers are never
 * in the ledger to begin with. With its timeline: the callbacks the log holds for it, whole.
 */
export function attemptView(attempt: Attempt, withTimeline = false, callbacks: LoggedCallback[] = []) {
  const { phone_hash: _hash, ...rest } = attempt
  return {
    ...rest,
    state_in_words: stateInWords(attempt),
    tone: toneOf(attempt),
    attention: attentionOf(attempt),
    ...(withTimeline ? { timeline: timelineOf(attempt, callbacks), callbacks } : {}),
  }
}

/** Attempts with their timelines, their callbacks read from the log in one query. */
export async function attemptViews(container: MedusaContainer, attempts: Attempt[]) {
  const callbacks = await callbacksOf(container, attempts.map((a) => a.id))
  return attempts.map((attempt) => attemptView(attempt, true, callbacks.filter((c) => c.attempt_id === attempt.id)))
}
