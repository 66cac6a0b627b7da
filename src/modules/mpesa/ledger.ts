import type { InferTypeOf, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"

import { MPESA_MODULE } from "./index"
import type { MpesaAttempt } from "./models/mpesa-attempt"
import type { MpesaCallback } from "./models/mpesa-callback"
import type MpesaModuleService from "./service"

/** A ledger row, typed from its data model (models/mpesa-attempt.ts). */
export type Attempt = Omit<InferTypeOf<typeof MpesaAttempt>, "created_at" | "updated_at" | "deleted_at">

/** A callback as the log keeps it (models/mpesa-callback.ts). */
export type LoggedCallback = Omit<InferTypeOf<typeof MpesaCallback>, "created_at" | "updated_at" | "deleted_at">

/** The columns an update may set (every column but the id). */
export type AttemptPatch = Partial<Omit<Attempt, "id">>

export function ledgerOf(container: MedusaContainer): MpesaModuleService {
  return container.resolve<MpesaModuleService>(MPESA_MODULE)
}

function notFound(id: string): MedusaError {
  return new MedusaError(MedusaError.Types.NOT_FOUND, `MpesaAttempt with id: ${id} was not found`)
}

export async function retrieveAttempt(container: MedusaContainer, id: string): Promise<Attempt> {
  const attempt = await ledgerOf(container).findAttempt(id)
  if (!attempt) {
    throw notFound(id)
  }
  return attempt
}

/**
 * Writes flags or bookkeeping on an attempt (never its state): one statement. A row that is gone
 * is an error, as `updateMpesaAttempts` made it, so a flag is never dropped without a word.
 */
export async function writeAttemptColumns(container: MedusaContainer, id: string, data: AttemptPatch): Promise<void> {
  if (!(await ledgerOf(container).updateAttemptColumns(id, data))) {
    throw notFound(id)
  }
}

/** The attempt a signed callback URL or a storefront poll names by its payment session id. */
export async function attemptOfSession(container: MedusaContainer, sessionId: string, gateway?: Attempt["gateway"]): Promise<Attempt | undefined> {
  const [attempt] = await ledgerOf(container).listMpesaAttempts(
    { session_id: sessionId, ...(gateway ? { gateway } : {}) },
    { take: 1, order: { pushed_at: "DESC" } }
  )
  return attempt
}

/** The attempt a callback URL names by its id, if it exists and belongs to `gateway`. */
export async function attemptById(container: MedusaContainer, id: string, gateway?: Attempt["gateway"]): Promise<Attempt | undefined> {
  return ledgerOf(container).findAttempt(id, gateway || undefined)
}

/** The callbacks logged for these attempts, oldest first. */
export async function callbacksOf(container: MedusaContainer, attemptIds: string[]): Promise<LoggedCallback[]> {
  if (!attemptIds.length) {
    return []
  }
  return ledgerOf(container).listMpesaCallbacks({ attempt_id: attemptIds }, { order: { received_at: "ASC" }, take: 500 })
}
