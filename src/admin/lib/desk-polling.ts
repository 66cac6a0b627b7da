import { isPaidInFull, LIVE_STATES, type AttemptState } from "../../payment/attempt-states"

/** How long after a payment the panel keeps following it while Medusa takes it on the order (the recovery job finishes within minutes). */
export const SETTLING_WINDOW_MS = 10 * 60_000

type DeskAttempt = {
  state: AttemptState
  order_id: string | null
  paid_without_order: boolean
  resolved_at: string | null
  pushed_at: string
}

/**
 * Whether the order panel keeps reading the desk (every 2 s): while a prompt is on the
 * customer's phone, and — for a few minutes after — while a payment is paid but not yet taken on
 * the order ("Paid — placing the order") or a draft paid in full is still becoming an order.
 * Stopping at "paid" would leave the panel, and Medusa's own cards it refreshes, one step behind.
 */
export function keepsFollowing(desk: { attempts: DeskAttempt[]; balance: { draft: boolean; outstanding: number } | null }, now = Date.now()): boolean {
  if (desk.attempts.some((a) => LIVE_STATES.includes(a.state))) {
    return true
  }
  const recent = (a: DeskAttempt) => now - new Date(a.pushed_at).getTime() < SETTLING_WINDOW_MS
  const placing = desk.attempts.some((a) => isPaidInFull(a.state) && !a.order_id && !a.paid_without_order && !a.resolved_at && recent(a))
  const converting = !!desk.balance?.draft && desk.balance.outstanding <= 0 && desk.attempts.some((a) => isPaidInFull(a.state) && recent(a))
  return placing || converting
}
