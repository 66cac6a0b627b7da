import { createRequire } from "node:module"

import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

/**
 * GET /bench/sql: every SQL statement this server process has sent since it started, counted
 * at the driver — in all, as PostgreSQL counts transactions (a BEGIN…COMMIT block is one, a
 * statement outside one is one), and by kind (`select order_cart`, `update mpesa_attempt`, …).
 * The bench store's route, not the plugin's: `npm run bench -- --steps` reads it around each
 * step of a payment, so each step's transactions are its own — PostgreSQL's counters
 * (pg_stat_database) are per database, reported up to 10 s late, and count the bench's queries
 * too. `?list=1` adds the statements since the last `?mark=1` (at most 2,000), to read one
 * payment's whole conversation.
 *
 * Both copies of the `pg` driver in the tree are counted (knex's, through which Medusa's
 * modules and the plugin's ledger speak, and the one @mikro-orm/postgresql ships).
 */
type Tally = { statements: number; transactions: number; kinds: Record<string, number>; since: string[] }
const tally: Tally = { statements: 0, transactions: 0, kinds: {}, since: [] }
const inTransaction = new WeakSet<object>()

const TABLE = /\b(?:from|into|update|join)\s+(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?/i

/** `select payment_session`, `insert mpesa_callback`, `begin`, … — the verb and the first table it names. */
export function kindOf(sql: string): string {
  const text = sql.trim().replace(/^with\b[\s\S]*?\)\s*(?=select|insert|update|delete)/i, "")
  const verb = (text.match(/^[a-z]+/i)?.[0] ?? "?").toLowerCase()
  const table = text.match(TABLE)?.[1]
  return table ? `${verb} ${table}` : verb
}

function count(client: object, sql: string) {
  const kind = kindOf(sql)
  const verb = kind.split(" ")[0]
  if (verb === "begin" || verb === "start") {
    inTransaction.add(client)
    tally.transactions++
  } else if (verb === "commit" || verb === "rollback") {
    inTransaction.delete(client)
  } else if (verb !== "savepoint" && verb !== "release") {
    tally.statements++
    if (!inTransaction.has(client)) {
      tally.transactions++
    }
  }
  tally.kinds[kind] = (tally.kinds[kind] ?? 0) + 1
  if (tally.since.length < 2000) {
    tally.since.push(`${inTransaction.has(client) || verb === "commit" || verb === "rollback" ? "  " : ""}${sql.replace(/\s+/g, " ").slice(0, 160)}`)
  }
}

function patch(from: string) {
  let pg: { Client: { prototype: { query: (...args: unknown[]) => unknown; __benchCounted?: boolean } } }
  try {
    pg = createRequire(from)("pg")
  } catch {
    return
  }
  const proto = pg.Client.prototype
  if (proto.__benchCounted) {
    return
  }
  const query = proto.query
  proto.query = function (this: object, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined
    const sql = typeof first === "string" ? first : first?.text
    if (typeof sql === "string") {
      count(this, sql)
    }
    return query.apply(this, args)
  }
  proto.__benchCounted = true
}

patch(`${process.cwd()}/`)
try {
  patch(createRequire(`${process.cwd()}/`).resolve("@mikro-orm/postgresql"))
} catch {
  // No separate MikroORM driver: knex's pg is the only one.
}

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const body = { statements: tally.statements, transactions: tally.transactions, kinds: { ...tally.kinds }, ...(req.query.list ? { list: tally.since } : {}) }
  if (req.query.mark) {
    tally.since = []
  }
  res.json(body)
}
