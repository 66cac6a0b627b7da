import type { Context } from "@medusajs/framework/types"
import { InjectTransactionManager, MedusaContext, MedusaService } from "@medusajs/framework/utils"

import { MpesaAttempt } from "./models/mpesa-attempt"
import { MpesaCallback } from "./models/mpesa-callback"

type Manager = { execute(sql: string, bindings: unknown[]): Promise<unknown[]> }

/**
 * The plugin's ledger of STK attempts (`listMpesaAttempts`, `createMpesaAttempts`, …) and the
 * log of callbacks as received (`listMpesaCallbacks`, …).
 */
export default class MpesaModuleService extends MedusaService({ MpesaAttempt, MpesaCallback }) {
  /**
   * Updates an attempt only if it is still in state `from`: a compare-and-set, so two
   * processes recording outcomes at once cannot overwrite each other. The row is locked
   * (`FOR UPDATE`) for the transaction; a concurrent caller waits, then finds the state
   * changed and gets `false`. Which moves are allowed is not this module's business (see the
   * plugin's payment/attempt.ts): it only guarantees the move starts from what was read.
   */
  @InjectTransactionManager()
  async updateAttemptIfState(
    id: string,
    from: string,
    data: Omit<Parameters<MpesaModuleService["updateMpesaAttempts"]>[0] & object, "id">,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.transactionManager as Manager
    const rows = await manager.execute(
      `select "id" from "mpesa_attempt" where "id" = ? and "state" = ? and "deleted_at" is null for update`,
      [id, from]
    )
    if (!rows.length) {
      return false
    }
    await this.updateMpesaAttempts({ id, ...data }, sharedContext)
    return true
  }

  /**
   * Claims the right to ask the status API about an attempt now: sets `checked_at` only if no
   * check was claimed in the last `spacingMs` (by the database's clock), in one statement. Of
   * any number of concurrent callers, on any number of servers, one gets `true`.
   */
  @InjectTransactionManager()
  async claimCheck(id: string, spacingMs: number, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const manager = sharedContext.transactionManager as Manager
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
  @InjectTransactionManager()
  async pruneCallbacks(before: Date, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as Manager
    const rows = await manager.execute(`delete from "mpesa_callback" where "received_at" < ? returning "id"`, [before])
    return rows.length
  }
}
