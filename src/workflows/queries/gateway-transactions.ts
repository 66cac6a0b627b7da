import type { GatewayTransaction } from "../../gateways/gateway"
import type { MpesaGatewayAccess } from "../../providers/gateway-access"

/**
 * How many of the account's newest transactions are asked for, one window after another. Lipwa's
 * `GET /transactions` takes only a `limit` (newest first; "if not included fetches all"), so a
 * larger window is the only way further back — and never the whole account on a merchant's click.
 */
export const TRANSACTION_WINDOWS = [50, 200, 1000] as const

export type RecentTransactions = {
  /** The newest transactions, newest first; undefined where the gateway has no list (Lipia). */
  listed: GatewayTransaction[] | undefined
  /** The window reached back to `since` (or held the whole account): a receipt missing from it is not there. */
  reachedSince: boolean
}

/**
 * The account's transactions back to `since`, in the smallest window that reaches it: stops as
 * soon as the receipt looked for is in the window (when one is), the window's oldest row is
 * older than `since`, or the window holds the whole account.
 */
export async function recentTransactions(provider: MpesaGatewayAccess, since: Date, receipt?: string): Promise<RecentTransactions> {
  let listed: GatewayTransaction[] | undefined
  for (const limit of TRANSACTION_WINDOWS) {
    listed = await provider.transactions(limit)
    if (!listed) {
      return { listed: undefined, reachedSince: true }
    }
    const oldest = listed[listed.length - 1]?.paidAt
    const reachedSince = listed.length < limit || (!!oldest && new Date(oldest).getTime() < since.getTime())
    if (reachedSince || (receipt && listed.some((t) => t.receipt.toUpperCase() === receipt))) {
      return { listed, reachedSince }
    }
  }
  return { listed, reachedSince: false }
}

/** Money received, as opposed to money going out of the account (Lipwa lists both). */
export function isCredit(transaction: GatewayTransaction): boolean {
  return !transaction.type || transaction.type.trim().toLowerCase() === "credit"
}
