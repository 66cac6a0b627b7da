import type { Context, InferTypeOf } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, MedusaContext, MedusaService } from "@medusajs/framework/utils"

import { MpesaAttempt } from "./models/mpesa-attempt"
import { MpesaCallback, UNMATCHED_CALLBACKS_KEPT } from "./models/mpesa-callback"

type Manager = { execute(sql: string, bindings: unknown[]): Promise<unknown[]> }

/** What an update may write: any column of the attempt but its id and timestamps. */
type AttemptColumns = Omit<Parameters<MpesaModuleService["updateMpesaAttempts"]>[0] & object, "id">

/** An attempt as its table holds it (models/mpesa-attempt.ts). */
type AttemptRow = InferTypeOf<typeof MpesaAttempt>

/** A callback as the log takes it (models/mpesa-callback.ts). */
type CallbackColumns = Omit<InferTypeOf<typeof MpesaCallback>, "id" | "created_at" | "updated_at" | "deleted_at" | "headers"> & { headers?: Record<string, unknown> | null }

/** The columns an update may set, from the data model itself (every one is a plain scalar). */
const ATTEMPT_COLUMNS = new Set(Object.keys(MpesaAttempt.schema).filter((column) => column !== "id"))

/**
 * The plugin's ledger of STK attempts (`listMpesaAttempts`, `createMpesaAttempts`, …) and the
 * log of callbacks as received (`listMpesaCallbacks`, …).
 *
 * The methods below are the payment path's reads and writes, each one SQL statement run on its
 * own (`InjectManager`): PostgreSQL makes a single statement atomic by itself, so a transaction
 * around it would only add a BEGIN and a COMMIT, two round trips, to every write.
 */
export default class MpesaModuleService extends MedusaService({ MpesaAttempt, MpesaCallback }) {
  /**
   * Updates an attempt only if it is still in state `from`: a compare-and-set, so two
   * processes recording outcomes at once cannot overwrite each other. One statement: a
   * concurrent caller's update waits for the row, then finds the state changed and gets
   * `false`. Which moves are allowed is not this module's business (see the plugin's
   * payment/attempt.ts): it only guarantees the move starts from what was read.
   *
   * Written in SQL rather than through `updateMpesaAttempts`, which reads the row into the ORM
   * before writing it and reads it back after (three statements and two hydrations of a wide
   * row, on every move of every payment: bench, payment phase).
   */
  @InjectManager()
  async updateAttemptIfState(
    id: string,
    from: string,
    data: AttemptColumns,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    return setAttemptColumns(sharedContext.manager as Manager, id, data, from)
  }

  /**
   * Sets columns of an attempt, whatever its state (flags and bookkeeping: never the state
   * itself, which only a compare-and-set moves). One statement, as updateAttemptIfState.
   * `false`: no such attempt.
   */
  @InjectManager()
  async updateAttemptColumns(id: string, data: AttemptColumns, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    return setAttemptColumns(sharedContext.manager as Manager, id, data)
  }

  /**
   * Writes a new attempt (the row before its push leaves) in one statement and returns it as
   * written, the table's defaults filled in. `createMpesaAttempts` would build the entity, write
   * it, and serialize it again, on the path of every "Pay".
   */
  @InjectManager()
  async insertAttempt(data: AttemptColumns, @MedusaContext() sharedContext: Context = {}): Promise<AttemptRow> {
    const manager = sharedContext.manager as Manager
    const set = columnsToSet(data)
    const rows = await manager.execute(
      `insert into "mpesa_attempt" ("id"${set.map(([column]) => `, "${column}"`).join("")}) values (?${", ?".repeat(set.length)}) returning *`,
      [generateEntityId(undefined, "mpatt"), ...set.map(([, value]) => value)]
    )
    return rows[0] as AttemptRow
  }

  /**
   * One attempt by its id (and gateway, when given), or undefined: one statement, the row as
   * PostgreSQL returns it. Every callback and every confirmation starts from this read;
   * `listMpesaAttempts` would build an ORM entity and serialize it again for it.
   */
  @InjectManager()
  async findAttempt(id: string, gateway?: string, @MedusaContext() sharedContext: Context = {}): Promise<AttemptRow | undefined> {
    const manager = sharedContext.manager as Manager
    const rows = await manager.execute(
      `select * from "mpesa_attempt" where "id" = ? and "deleted_at" is null${gateway === undefined ? "" : ` and "gateway" = ?`} limit 1`,
      [id, ...(gateway === undefined ? [] : [gateway])]
    )
    return rows[0] as AttemptRow | undefined
  }

  /**
   * The M-Pesa payments for this cart that are paid or already an order — the order, when the
   * confirmation recorded one (it does so last, after Medusa's completion released the cart),
   * and the state. One indexed statement, for the storefront's `complete` after the callback.
   */
  @InjectManager()
  async paidAttemptsOfCart(cartId: string, @MedusaContext() sharedContext: Context = {}): Promise<Array<{ state: string; order_id: string | null }>> {
    const manager = sharedContext.manager as Manager
    return (await manager.execute(
      `select "state", "order_id" from "mpesa_attempt" where "cart_id" = ? and ("order_id" is not null or "state" = 'paid') and "deleted_at" is null`,
      [cartId]
    )) as Array<{ state: string; order_id: string | null }>
  }

  /**
   * What the one-prompt guard reads on every "Pay", in one statement: the collection's attempts
   * and, with `phone`, that phone's prompts since `phone.since` that rang it (neither a prompt
   * never sent nor a payment recorded by its receipt), newest first, at most `take` rows.
   * `listMpesaAttempts` with the same `$or` built ORM entities of every row and serialized
   * them again.
   */
  @InjectManager()
  async guardAttempts(
    collectionId: string,
    phone: { phone_hash: string; since: Date } | undefined,
    take: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<AttemptRow[]> {
    const manager = sharedContext.manager as Manager
    const ofPhone = phone ? ` or ("phone_hash" = ? and "pushed_at" > ? and "state" <> 'not_sent' and "origin" <> 'recorded')` : ""
    return (await manager.execute(
      `select * from "mpesa_attempt" where "deleted_at" is null and ("payment_collection_id" = ?${ofPhone}) order by "pushed_at" desc limit ?`,
      [collectionId, ...(phone ? [phone.phone_hash, phone.since] : []), take]
    )) as AttemptRow[]
  }

  /**
   * Writes one callback into the log, in one statement (every delivery of every callback is
   * one, so it is on every payment's path twice or more; `createMpesaCallbacks` would read the
   * row back into the ORM after writing it).
   *
   * An unmatched callback is followed by a second statement that deletes the unmatched rows
   * beyond the newest `UNMATCHED_CALLBACKS_KEPT`, so a flood of junk keeps a bounded trace. It
   * runs after the insert committed, so each run sees every unmatched row written before it, on
   * any server: once the flood stops, at most the cap remain, and concurrent runs only ever
   * delete rows that have at least the cap newer than them.
   */
  @InjectManager()
  async logCallback(callback: CallbackColumns, @MedusaContext() sharedContext: Context = {}): Promise<string> {
    const manager = sharedContext.manager as Manager
    const id = generateEntityId(undefined, "mpcb")
    await manager.execute(
      `insert into "mpesa_callback" ("id", "gateway", "attempt_id", "named_id", "signature_valid", "body", "headers", "answer_status", "answer_code", "answer_message", "received_at") values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)`,
      [
        id,
        callback.gateway,
        callback.attempt_id ?? null,
        callback.named_id ?? null,
        callback.signature_valid,
        callback.body,
        JSON.stringify(callback.headers ?? {}),
        callback.answer_status,
        callback.answer_code ?? null,
        callback.answer_message ?? null,
        callback.received_at,
      ]
    )
    if (!callback.attempt_id) {
      await manager.execute(
        `delete from "mpesa_callback" where "id" in (select "id" from "mpesa_callback" where "attempt_id" is null and "deleted_at" is null order by "received_at" desc, "id" desc offset ?)`,
        [UNMATCHED_CALLBACKS_KEPT]
      )
    }
    return id
  }

  /**
   * Claims the right to ask the status API about an attempt now: sets `checked_at` only if no
   * check was claimed in the last `spacingMs` (by the database's clock), in one statement. Of
   * any number of concurrent callers, on any number of servers, one gets `true`.
   */
  @InjectManager()
  async claimCheck(id: string, spacingMs: number, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const manager = sharedContext.manager as Manager
    const rows = await manager.execute(
      `update "mpesa_attempt" set "checked_at" = now() where "id" = ? and "deleted_at" is null and ("checked_at" is null or "checked_at" <= now() - make_interval(secs => ?)) returning "id"`,
      [id, spacingMs / 1000]
    )
    return rows.length > 0
  }

  /**
   * Deletes the callbacks received before `before` (the log keeps them for `callbackLogDays`).
   * A hard delete: the log is evidence kept for a while, not a record of money (the attempts
   * are). Returns how many rows went.
   */
  @InjectManager()
  async pruneCallbacks(before: Date, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.manager as Manager
    const rows = await manager.execute(`delete from "mpesa_callback" where "received_at" < ? returning "id"`, [before])
    return rows.length
  }
}

/** One `update … returning id` of an attempt's columns, only from state `from` when given. */
async function setAttemptColumns(manager: Manager, id: string, data: AttemptColumns, from?: string): Promise<boolean> {
  const set = columnsToSet(data)
  const rows = await manager.execute(
    `update "mpesa_attempt" set ${set.map(([column]) => `"${column}" = ?, `).join("")}"updated_at" = now() where "id" = ? and "deleted_at" is null${from === undefined ? "" : ` and "state" = ?`} returning "id"`,
    [...set.map(([, value]) => value), id, ...(from === undefined ? [] : [from])]
  )
  return rows.length > 0
}

/** The columns given a value (undefined: left alone), each checked against the data model. */
function columnsToSet(data: AttemptColumns): Array<[string, unknown]> {
  const set = Object.entries(data).filter(([, value]) => value !== undefined)
  for (const [column] of set) {
    if (!ATTEMPT_COLUMNS.has(column)) {
      throw new Error(`mpesa_attempt has no column "${column}" a write may set`)
    }
  }
  return set
}
