import { attentionOf, stateInWords, timelineOf, toneOf } from "../../../payment/attention"
import type { Attempt } from "../../../modules/mpesa/ledger"

/**
 * An attempt as the admin sees it: everything the ledger keeps but the phone hash, plus the
 * state in words and what needs the merchant. Keys, secrets and full phone numbers are never
 * in the ledger to begin with.
 */
export function attemptView(attempt: Attempt, withTimeline = false) {
  const { phone_hash: _hash, ...rest } = attempt
  return {
    ...rest,
    state_in_words: stateInWords(attempt),
    tone: toneOf(attempt),
    attention: attentionOf(attempt),
    ...(withTimeline ? { timeline: timelineOf(attempt) } : {}),
  }
}
