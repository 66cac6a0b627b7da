// What the store's database says: orders as they stand, duplicates, held payments, and
// PostgreSQL's own counters. The bench's own queries are counted, so they are not taken for
// the server's work.

import { bench } from "./context.mjs"
import { sleep } from "./processes.mjs"

/**
 * Resolves when a cart's order exists, with the order's own created_at (the database's clock,
 * on this machine like the sandbox's): one query for every cart waited on, every 20 ms.
 */
let benchQueries = 0
export const orders = {
  waiting: new Map(),
  loop: undefined,
  wait(cartId, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      this.waiting.set(cartId, { resolve, reject, deadline: Date.now() + timeoutMs })
      this.loop ??= this.poll()
    })
  },
  async poll() {
    while (this.waiting.size) {
      const ids = [...this.waiting.keys()]
      benchQueries += 1
      const { rows } = await bench.db.query(
        `SELECT oc.cart_id, o.id, o.created_at FROM order_cart oc JOIN "order" o ON o.id = oc.order_id
          WHERE oc.cart_id = ANY($1) AND oc.deleted_at IS NULL AND o.deleted_at IS NULL`,
        [ids]
      )
      for (const row of rows) {
        this.waiting.get(row.cart_id)?.resolve({ orderId: row.id, createdAt: row.created_at.getTime() })
        this.waiting.delete(row.cart_id)
      }
      const now = Date.now()
      for (const [id, w] of this.waiting) {
        if (now > w.deadline) {
          w.reject(new Error(`no order for cart ${id} in time`))
          this.waiting.delete(id)
        }
      }
      await sleep(20)
    }
    this.loop = undefined
  },
}

/**
 * Each cart's order as it stands (not rolled back): { cartId → { orderId, createdAt, doneAt } },
 * once every cart has one or `waitMs` passed. `createdAt` is the order row's, written early in
 * Medusa's completion (before the inventory is reserved and the payment authorized); `doneAt`
 * is the last record of the payment that completion writes — the payment (authorized) or its
 * capture, whichever is later — which is when a shopper's `complete` returns.
 */
export async function settledOrders(cartIds, waitMs) {
  const deadline = Date.now() + waitMs
  for (;;) {
    benchQueries += 1
    const { rows } = await bench.db.query(
      `SELECT DISTINCT ON (oc.cart_id) oc.cart_id, o.id, o.created_at,
              (SELECT max(greatest(p.created_at, cap.created_at)) FROM cart_payment_collection cpc
                 JOIN payment p ON p.payment_collection_id = cpc.payment_collection_id AND p.deleted_at IS NULL
                 LEFT JOIN capture cap ON cap.payment_id = p.id AND cap.deleted_at IS NULL
                WHERE cpc.cart_id = oc.cart_id AND cpc.deleted_at IS NULL) AS done_at
         FROM order_cart oc JOIN "order" o ON o.id = oc.order_id
        WHERE oc.cart_id = ANY($1) AND oc.deleted_at IS NULL AND o.deleted_at IS NULL ORDER BY oc.cart_id, o.created_at`,
      [cartIds]
    )
    if (rows.length === cartIds.length || Date.now() >= deadline) {
      return new Map(rows.map((r) => [r.cart_id, { orderId: r.id, createdAt: r.created_at.getTime(), doneAt: (r.done_at ?? r.created_at).getTime() }]))
    }
    await sleep(1000)
  }
}

/** Carts with more than one order or capture (must be none), and carts left without an order. */
export async function integrityOf(cartIds) {
  benchQueries += 1
  const { rows } = await bench.db.query(
    `SELECT c.id AS cart_id,
            (SELECT count(*) FROM order_cart oc WHERE oc.cart_id = c.id AND oc.deleted_at IS NULL)::int AS orders,
            (SELECT count(cap.id) FROM cart_payment_collection cpc
               JOIN payment p ON p.payment_collection_id = cpc.payment_collection_id AND p.deleted_at IS NULL
               JOIN capture cap ON cap.payment_id = p.id AND cap.deleted_at IS NULL
              WHERE cpc.cart_id = c.id AND cpc.deleted_at IS NULL)::int AS captures,
            (SELECT count(*) FROM mpesa_attempt a WHERE a.cart_id = c.id AND a.paid_without_order AND a.deleted_at IS NULL)::int AS held
       FROM cart c WHERE c.id = ANY($1)`,
    [cartIds]
  )
  return {
    orders: rows.filter((r) => r.orders === 1).length,
    duplicateOrders: rows.filter((r) => r.orders > 1).length,
    duplicateCaptures: rows.filter((r) => r.captures > 1).length,
    withoutOrder: cartIds.length - rows.filter((r) => r.orders >= 1).length,
    // Paid M-Pesa attempts held for the merchant (their cart could not become an order).
    held: rows.filter((r) => r.held > 0).length,
  }
}

/** The first callback the sandbox delivered for each payment ref: { ref → ms }. */
export function firstCallbacks() {
  const first = new Map()
  for (const delivery of bench.sandbox.callbacks()) {
    const at = Date.parse(delivery.at)
    if (!first.has(delivery.ref) || first.get(delivery.ref) > at) {
      first.set(delivery.ref, at)
    }
  }
  return first
}

/**
 * PostgreSQL's own counters for the store's database: transactions and rows, and the rows
 * written per table (the accounting behind the total). A backend reports its counters when
 * idle, at most 10 s late (PostgreSQL ≥ 15), hence the wait.
 */
export async function databaseWork() {
  await sleep(11_000)
  benchQueries += 2
  const { rows } = await bench.db.query(
    `SELECT xact_commit + xact_rollback AS transactions, tup_inserted + tup_updated + tup_deleted AS rows_written
       FROM pg_stat_database WHERE datname = current_database()`
  )
  const { rows: tables } = await bench.db.query(`SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS written FROM pg_stat_user_tables`)
  // The bench's own queries (waiting for orders) are not the server's work.
  return {
    transactions: Number(rows[0].transactions) - benchQueries,
    rows_written: Number(rows[0].rows_written),
    tables: Object.fromEntries(tables.map((t) => [t.relname, Number(t.written)])),
  }
}

/**
 * The work between two readings, per order: transactions and rows rounded to whole numbers,
 * the rows of each table that was written to rounded to one decimal.
 */
export function perOrder(before, after, orders) {
  const work = Object.fromEntries(
    Object.keys(after)
      .filter((k) => typeof after[k] === "number")
      .map((k) => [k, Math.round((after[k] - before[k]) / orders)])
  )
  if (after.tables) {
    const tables = Object.entries(after.tables)
      .map(([table, n]) => [table, Math.round(((n - (before.tables?.[table] ?? 0)) / orders) * 10) / 10])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    work.tables = Object.fromEntries(tables)
  }
  return work
}
