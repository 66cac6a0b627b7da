import { randomUUID } from "node:crypto"

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, createPaymentSessionsWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"

import { GatewayError } from "../gateways/errors"
import { checkSafaricomPhone, maskPhone, redactPhones } from "../lib/phone"
import { ledgerOf, retrieveAttempt, writeAttemptColumns, type Attempt } from "../modules/mpesa/ledger"
import { RECORDED_PAYMENT_STATE, secondsLeft } from "../payment/attempt"
import { stateInWords } from "../payment/attention"
import { pluginOptions } from "../payment/plugin-options"
import { alreadyRecordedMessage, answersKnownPromptMessage, checkRecording, kes, normaliseReceipt, type Recording } from "../payment/recorded-payment"
import { asRefusal, refusal } from "../payment/refusals"
import type { MpesaGatewayAccess } from "../providers/gateway-access"
import { mpesaGateway } from "../providers/registry"
import { recentTransactions } from "./queries/gateway-transactions"
import { orderBalance, type OrderBalance } from "./queries/order-balance"
import { settleMpesaPayment, type Settled } from "./settle-mpesa-payment"
import { DESK_LOCK, orderCollectionWorkflow, payableOrderStep } from "./steps/desk"
import { collectionBusy } from "./steps/start-payment"

export type RecordMpesaPaymentInput = {
  order_id: string
  provider_id: string
  receipt: string
  /** Required where the gateway cannot look receipts up (Lipia); checked against the receipt where it can. */
  amount?: number
  /** Required where the gateway cannot look receipts up: how the merchant knows the money arrived. */
  note?: string
  /** The admin user recording it. */
  actor_id: string
}

export type RecordedMpesaPayment = { attempt: Attempt; settled: Settled }

/** The ledger never holds a whole phone number, and a gateway without a list gives none. */
const UNKNOWN_PHONE = "unknown"
/** Not a hex digest, so it can never equal a phone's keyed hash: the per-phone limit never counts it. */
const NO_PHONE_HASH = "none"

/**
 * A receipt already in the ledger is the answer the merchant needs first — even when (because
 * of it) the order owes nothing any more.
 */
const refuseKnownReceiptStep = createStep("mpesa-record-known-receipt", async (input: { receipt: string }, { container }) => {
  await refuseKnownReceipt(container, normaliseReceipt(input.receipt))
  return new StepResponse(undefined)
})

/**
 * The receipt's rules, read under the order's lock: not already in the ledger, and — where the
 * gateway lists the account's transactions (Lipwa) — found in a bounded recent window, a credit,
 * paid no earlier than the order existed, for exactly what the order owes; on the merchant's
 * word (amount and note) where it has no list (Lipia).
 */
const checkReceiptStep = createStep("mpesa-record-check-receipt", async (input: { record: RecordMpesaPaymentInput; balance: OrderBalance }, { container }) => {
  const receipt = normaliseReceipt(input.record.receipt)
  const provider = registeredProvider(container, input.record.provider_id)
  const window = await listedTransactions(provider, input.balance, receipt)
  const recording = checkRecording({
    receipt,
    outstanding: input.balance.outstanding,
    order: { label: input.balance.label, created_at: new Date(input.balance.created_at) },
    label: provider.label,
    listed: window.listed,
    searchedWholeWindow: window.reachedSince,
    amount: input.record.amount,
    note: input.record.note,
  })
  if (!recording.ok) {
    throw recording.code ? refusal(recording.code, recording.message) : new MedusaError(MedusaError.Types.INVALID_DATA, recording.message)
  }
  if (recording.reference) {
    await refuseKnownPrompt(container, provider, recording.reference, receipt)
  }
  return new StepResponse({ ...recording, receipt, gateway: provider.gatewayName })
})

/**
 * The start-payment guard's rule, seen from the other side, under the collection's key (the
 * checkout's own) and the receipt's: a live prompt on the collection is asked about first (it
 * may have failed, or been paid), then either paid it — nothing left to record — or still rings
 * the customer's phone, and paying both would take the money twice.
 */
const guardRecordingStep = createStep("mpesa-record-guard", async (input: { collection_id: string; receipt: string; label: string }, { container }) => {
  await refuseKnownReceipt(container, input.receipt)
  const { paid, live } = await collectionBusy(container, input.collection_id, "merchant")
  if (paid) {
    throw refusal(
      "MPESA_PAYMENT_RECEIVED",
      `A payment for ${input.label} was already received (receipt ${paid.receipt ?? "not known yet"}) and is being taken, or is held for you on the M-Pesa page: do not record another.`
    )
  }
  if (live) {
    const seconds = secondsLeft(live, pluginOptions(container).promptLifetimeMs)
    throw Object.assign(
      refusal(
        "MPESA_PAYMENT_IN_PROGRESS",
        `A payment prompt for ${input.label} is still on the customer's phone (${seconds} s left): if they pay it, there is nothing to record. Record the receipt once the prompt is answered or expired.`
      ),
      { retry_after: seconds }
    )
  }
  return new StepResponse(undefined)
})

type WriteInput = {
  record: RecordMpesaPaymentInput
  recording: Extract<Recording, { ok: true }> & { receipt: string; gateway: MpesaGatewayAccess["gatewayName"] }
  collection_id: string
}

/**
 * The receipt claimed in the ledger (unique: one payment pays once, across every process),
 * paid, before any session exists. A crash from here on leaves a paid, recorded attempt the
 * recovery job finishes (finishRecording: the session opened, then settled); a failure of the
 * workflow's next step undoes it, so the receipt stays recordable once the cause is fixed.
 */
const writeRecordedAttemptStep = createStep(
  "mpesa-record-write-attempt",
  async ({ record, recording, collection_id }: WriteInput, { container }) => {
    const provider = registeredProvider(container, record.provider_id)
    const phone = recording.phone ? checkSafaricomPhone(recording.phone) : undefined
    const msisdn = phone?.ok ? phone.msisdn : undefined
    const now = new Date()
    const note = record.note?.trim() ? redactPhones(record.note.trim()) : null
    const attempt = await ledgerOf(container)
      .insertAttempt({
        gateway: recording.gateway,
        provider_id: record.provider_id,
        payment_collection_id: collection_id,
        phone_masked: msisdn ? maskPhone(msisdn) : UNKNOWN_PHONE,
        phone_hash: msisdn ? provider.phoneHash(msisdn) : NO_PHONE_HASH,
        amount_requested: recording.amount,
        amount_paid: recording.amount,
        state: RECORDED_PAYMENT_STATE,
        outcome: "paid",
        message: recording.attested
          ? `Recorded by the merchant from M-Pesa receipt ${recording.receipt}, on their word (${provider.label} cannot look receipts up).`
          : `Recorded by the merchant from M-Pesa receipt ${recording.receipt}, found in ${provider.label}'s transactions.`,
        receipt: recording.receipt,
        // When the customer paid, where the gateway says; the ledger's "pushed" time for a payment no prompt asked for.
        pushed_at: recording.paid_at ? new Date(recording.paid_at) : now,
        settled_at: now,
        origin: "recorded",
        requested_by: record.actor_id,
        attested: recording.attested,
        attestation_note: note,
        ...(recording.attested ? { attested_by: record.actor_id, attested_at: now } : {}),
      })
      .catch(async (error: unknown) => {
        // The receipt is unique in the ledger: recorded meanwhile by another server.
        await refuseKnownReceipt(container, recording.receipt)
        throw error
      })
    return new StepResponse<Attempt, string>(attempt, attempt.id)
  },
  async (attemptId, { container }) => {
    if (attemptId) {
      await ledgerOf(container).deleteMpesaAttempts(attemptId)
    }
  }
)

const openRecordedSessionStep = createStep("mpesa-record-open-session", async (input: { attempt: Attempt }, { container }) => {
  return new StepResponse(await openRecordedSession(container, input.attempt))
})

export const recordMpesaPaymentWorkflowId = "record-mpesa-payment"

/**
 * The admin's "Record a payment made outside the prompt" (the customer paid the Paybill or
 * Till, or a prompt the plugin never saw), on the checkout's rails: the order's lock before a
 * collection is chosen; what the order owes from the one owner; the receipt's rules; the
 * collection sized to exactly that; the collection's and the receipt's keys (a live prompt and
 * a recording, or two recordings, never both pay); the receipt claimed in the ledger; a payment
 * session opened by the provider without any prompt (the attempt is signed). The money is then
 * taken by the one settle path (recordMpesaPayment), outside the locks — it takes the order's
 * own lock to convert a paid draft.
 */
export const recordMpesaPaymentWorkflow = createWorkflow(recordMpesaPaymentWorkflowId, (input: RecordMpesaPaymentInput & { owner_id: string }) => {
  acquireLockStep({ key: input.order_id, timeout: DESK_LOCK.timeout, ttl: DESK_LOCK.ttl, ownerId: input.owner_id })
  refuseKnownReceiptStep(input)
  const balance = payableOrderStep(transform({ input }, ({ input }) => ({ order_id: input.order_id, what: "record" as const })))
  const recording = checkReceiptStep(transform({ input, balance }, ({ input, balance }) => ({ record: input, balance })))
  const collectionId = orderCollectionWorkflow.runAsStep({
    input: transform({ input, balance }, ({ input, balance }) => ({ order_id: input.order_id, amount: balance.outstanding })),
  })
  const keys = transform({ collectionId, recording }, ({ collectionId, recording }) => [`mpesa:collection:${collectionId}`, `mpesa:receipt:${recording.receipt}`].sort())
  acquireLockStep({ key: keys, timeout: DESK_LOCK.timeout, ttl: DESK_LOCK.ttl, ownerId: input.owner_id }).config({ name: "mpesa-record-lock-collection" })
  guardRecordingStep(transform({ collectionId, recording, balance }, ({ collectionId, recording, balance }) => ({ collection_id: collectionId, receipt: recording.receipt, label: balance.label })))
  const attempt = writeRecordedAttemptStep(transform({ input, recording, collectionId }, ({ input, recording, collectionId }) => ({ record: input, recording, collection_id: collectionId })))
  const opened = openRecordedSessionStep({ attempt })
  releaseLockStep({ key: keys, ownerId: input.owner_id }).config({ name: "mpesa-record-unlock-collection" })
  releaseLockStep({ key: input.order_id, ownerId: input.owner_id })
  return new WorkflowResponse(opened)
})

/** Records the receipt, then takes the money on the order by the one settle path. */
export async function recordMpesaPayment(container: MedusaContainer, input: RecordMpesaPaymentInput): Promise<RecordedMpesaPayment> {
  const { result, errors } = await recordMpesaPaymentWorkflow(container).run({ input: { ...input, owner_id: randomUUID() }, throwOnError: false })
  if (errors?.length) {
    const error = asRefusal(errors[0].error)
    if (/acquir(e|ing) lock/i.test(String((error as Error)?.message))) {
      throw refusal("MPESA_SESSION_LOCKED", "A payment for this order is being asked for or recorded right now: wait a moment, then try again.")
    }
    throw error
  }
  const settled = await settleMpesaPayment(container, result.id)
  return { attempt: await retrieveAttempt(container, result.id), settled }
}

/**
 * Opens the payment session of a recorded attempt — the provider opens it without any prompt,
 * for the attempt it names and signs — and writes its id on the attempt. Used by the recording
 * and by the recovery job for a recording a crash cut short (finishRecording).
 */
export async function openRecordedSession(container: MedusaContainer, attempt: Attempt): Promise<Attempt> {
  const provider = registeredProvider(container, attempt.provider_id ?? "")
  const { result: session } = await createPaymentSessionsWorkflow(container).run({
    input: {
      payment_collection_id: attempt.payment_collection_id as string,
      provider_id: attempt.provider_id as string,
      data: { attempt_id: attempt.id, recorded_sig: provider.signRecordedPayment(attempt.id) },
    },
  })
  await writeAttemptColumns(container, attempt.id, { session_id: session.id })
  return { ...attempt, session_id: session.id }
}

/**
 * A recording a crash cut short — the receipt claimed (a paid, recorded attempt), its session
 * never opened or never written down — is finished by the recovery job, under the collection's
 * key (the recording's own), read again inside: the session is opened if the order still owes
 * exactly what was recorded; otherwise the payment is held for the merchant, in plain words.
 * Returns true when the attempt can now be settled.
 */
export async function finishRecording(container: MedusaContainer, attemptId: string): Promise<boolean> {
  const collectionId = (await retrieveAttempt(container, attemptId)).payment_collection_id
  return container.resolve(Modules.LOCKING).execute(
    [`mpesa:collection:${collectionId}`],
    async () => {
      const attempt = await retrieveAttempt(container, attemptId)
      if (attempt.session_id) {
        return true
      }
      const orderId = await orderOfCollection(container, collectionId)
      const balance = orderId ? await orderBalance(container, orderId) : undefined
      if (!balance || balance.outstanding !== attempt.amount_paid) {
        await writeAttemptColumns(container, attempt.id, {
          paid_without_order: true,
          message: `Recorded from M-Pesa receipt ${attempt.receipt}, but the recording was interrupted, and ${balance ? `${balance.label} now owes ${kes(balance.outstanding)}` : "its order is gone"}: take the payment on the order by hand, or reverse it from your M-Pesa portal, then mark this resolved.`,
        })
        return false
      }
      await openRecordedSession(container, attempt)
      return true
    },
    { timeout: DESK_LOCK.timeout, expire: DESK_LOCK.ttl }
  )
}

async function orderOfCollection(container: MedusaContainer, collectionId: string | null): Promise<string | undefined> {
  if (!collectionId) {
    return undefined
  }
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order_payment_collection", fields: ["order_id"], filters: { payment_collection_id: collectionId } })
  return data[0]?.order_id
}

function registeredProvider(container: MedusaContainer, providerId: string): MpesaGatewayAccess {
  try {
    return mpesaGateway(container, providerId)
  } catch {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${providerId} is not an M-Pesa provider of this store: choose one of those the M-Pesa page's set-up check lists.`)
  }
}

/** The gateway's recent transactions back to the order's creation, in a bounded window. */
async function listedTransactions(provider: MpesaGatewayAccess, balance: OrderBalance, receipt: string) {
  try {
    return await recentTransactions(provider, new Date(balance.created_at), receipt)
  } catch (error) {
    if (GatewayError.is(error)) {
      throw refusal("MPESA_UNAVAILABLE", `${provider.label}'s list of the account's transactions could not be read (${error.message}): try again in a moment.`)
    }
    throw error
  }
}

async function refuseKnownReceipt(container: MedusaContainer, receipt: string): Promise<void> {
  const [known] = await ledgerOf(container).listMpesaAttempts({ receipt }, { take: 1 })
  if (known) {
    const label = known.order_id ? (await orderBalance(container, known.order_id))?.label : undefined
    throw refusal("MPESA_RECEIPT_ALREADY_RECORDED", alreadyRecordedMessage(receipt, known, label))
  }
}

async function refuseKnownPrompt(container: MedusaContainer, provider: MpesaGatewayAccess, reference: string, receipt: string): Promise<void> {
  const [prompt] = await ledgerOf(container).listMpesaAttempts({ gateway: provider.gatewayName, reference }, { take: 1 })
  if (prompt) {
    const orderLabel = prompt.order_id ? (await orderBalance(container, prompt.order_id))?.label : undefined
    throw refusal("MPESA_RECEIPT_ALREADY_RECORDED", answersKnownPromptMessage(receipt, { stateWords: stateInWords(prompt), orderLabel }))
  }
}
