import type { QueryClient, QueryKey } from "@tanstack/react-query"

/**
 * The heads of the dashboard's React Query keys that show an order's money (read in
 * @medusajs/dashboard's hooks/api/orders.tsx and payment-collections.tsx, and the draft-order
 * plugin's hooks): the order page's detail `["orders","detail",id,…]`, its preview and changes
 * `[["orders","detail",id],"preview"]` (a nested first element), the draft page's
 * `["orders","details",id,…]` and `["draft-orders","details",id,…]`, and payment collections.
 * The literal keys, not `@medusajs/dashboard/hooks`: importing it would bundle the dashboard.
 */
const ORDER_PAGE_HEADS = new Set(["orders", "draft-orders", "payment-collection"])

/** Whether a dashboard query shows an order's money ("Outstanding", payment status, "Mark as paid"). */
export function isOrderPageQuery(queryKey: QueryKey): boolean {
  const first = queryKey[0]
  const head = Array.isArray(first) ? first[0] : first
  return typeof head === "string" && ORDER_PAGE_HEADS.has(head)
}

/** Whether a query key names this order (its id anywhere in the key, nested arrays and `{ query }` objects included). */
export function keyNamesOrder(queryKey: QueryKey, orderId: string): boolean {
  return JSON.stringify(queryKey).includes(JSON.stringify(orderId))
}

/** The plugin's own queries (the desk, the M-Pesa page). */
export function isMpesaQuery(queryKey: QueryKey): boolean {
  return String(queryKey[0]).startsWith("mpesa-")
}

/**
 * After money moved (a prompt paid, a receipt recorded, a claim accepted, a re-check that
 * settled): Medusa's own cards on the order page and the plugin's own views fetch again, so
 * "Outstanding", the payment status and "Mark as paid" change at once — a merchant who sees
 * the old amount could collect twice. Only queries on screen refetch; the rest are marked stale.
 */
export function refreshAfterPayment(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => isOrderPageQuery(q.queryKey) || isMpesaQuery(q.queryKey) })
}

/**
 * What the desk's answer says about money: when it changes, Medusa's own cards are out of date.
 * A prompt sent, waiting or failed moves no money and changes nothing Medusa shows: it is left
 * out (on a draft's page, a refetch then could race the draft's conversion).
 */
export function moneySignature(desk: {
  attempts: Array<{ id: string; amount_paid: number | null }>
  balance: { outstanding: number; status: string; draft: boolean } | null
}): string {
  const b = desk.balance
  const paid = desk.attempts.filter((a) => a.amount_paid !== null).map((a) => [a.id, a.amount_paid])
  return JSON.stringify([b ? [b.outstanding, b.status, b.draft] : null, paid])
}

/** Medusa's own order page only: when the desk sees money move that no click here caused (the customer paid on the phone). */
export function refreshOrderPage(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => isOrderPageQuery(q.queryKey) })
}

/** The order page a converted draft's page leads to: the same id under /orders, under the admin's own base path. */
export function convertedOrderPath(pathname: string, orderId: string): string | undefined {
  const at = pathname.indexOf("/draft-orders/")
  return at < 0 ? undefined : `${pathname.slice(0, at)}/orders/${orderId}`
}
