import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createPaymentSessionsWorkflow } from "@medusajs/medusa/core-flows"

import { GatewayError } from "../gateways/errors"
import { checkCurrency } from "../lib/amount"
import { checkSafaricomPhone, maskPhone } from "../lib/phone"
import { ledgerOf, retrieveAttempt, type Attempt } from "../modules/mpesa/ledger"
import { RECORDED_PAYMENT_STATE, secondsLeft } from "../payment/attempt"
import { pluginOptions } from "../payment/plugin-options"
import { alreadyRecordedMessage, answersKnownPromptMessage, checkRecording, kes, normaliseReceipt, type Recording } from "../payment/recorded-payment"
import { refusal } from "../payment/refusals"
import type { MpesaGatewayAccess } from "../providers/gateway-access"
import { mpesaGateway } from "../providers/registry"
import { collectionForBalance, orderBalance, type OrderBalance } from "./queries/order-balance"
import { settleMpesaPayment, type Settled } from "./settle-mpesa-payment"
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
 * The admin's "Record a payment made outside the prompt": the customer paid by Paybill or Till,
 * or to a prompt the plugin never saw, and the merchant enters the M-Pesa receipt. Lipwa's list
 * of the account's transactions must show it, for exactly what the order owes; Lipia has none,
 * so the payment stands on the merchant's word (amount and note), marked `attested`.
 *
 * The money is then taken as Medusa's own mark-as-paid takes it, with the M-Pesa provider: a
 * payment session on the order's collection for what it owes — opened by the provider without
 * any prompt (the attempt is signed) — authorized and captured by the one settle path, which
 * adds the order's transaction (and turns a paid draft into an order). Under the Locking module's
 * keys for the collection (the start-payment workflow's own) and for the receipt, so a live
 * prompt and a recording, or two recordings, can never both pay.
 */
export async function recordMpesaPayment(container: MedusaContainer, input: RecordMpesaPaymentInput): Promise<RecordedMpesaPayment> {
  const receipt = normaliseReceipt(input.receipt)
  const provider = registeredProvider(container, input.provider_id)
  // Before the order's balance: a receipt already recorded is the answer the merchant needs,
  // even when (because of it) the order owes nothing any more.
  await refuseKnownReceipt(container, receipt)
  const balance = await payableBalance(container, input.order_id)
  const recording = checkRecording({
    receipt,
    outstanding: balance.outstanding,
    label: provider.label,
    listed: await listedTransactions(provider),
    amount: input.amount,
    note: input.note,
  })
  if (!recording.ok) {
    throw recording.code ? refusal(recording.code, recording.message) : new MedusaError(MedusaError.Types.INVALID_DATA, recording.message)
  }
  if (recording.reference) {
    await refuseKnownPrompt(container, provider, recording.reference, receipt)
  }
  const collectionId = await collectionForBalance(container, balance.order_id)
  if (!collectionId) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Medusa did not open a payment collection for what this order owes; reload the order and try again.")
  }

  return underLocks(container, [`mpesa:collection:${collectionId}`, `mpesa:receipt:${receipt}`], async () => {
    // Read again under the locks: a prompt, or another recording, may have paid it meanwhile.
    const now = await payableBalance(container, input.order_id)
    if (now.outstanding !== recording.amount) {
      throw refusal("MPESA_RECEIPT_AMOUNT_MISMATCH", `The order now owes ${kes(now.outstanding)} (it changed while the payment was being recorded): check the order, then record the receipt again.`)
    }
    await refuseKnownReceipt(container, receipt)
    await refuseWhileCollectionBusy(container, collectionId)

    const attempt = await writeAttempt(container, { input, provider, receipt, recording, collectionId })
    try {
      const { result: session } = await createPaymentSessionsWorkflow(container).run({
        input: { payment_collection_id: collectionId, provider_id: input.provider_id, data: { attempt_id: attempt.id, recorded_sig: provider.signRecordedPayment(attempt.id) } },
      })
      await ledgerOf(container).updateMpesaAttempts({ id: attempt.id, session_id: session.id })
    } catch (error) {
      // Nothing was taken yet: the receipt must stay recordable once the cause is fixed.
      await ledgerOf(container).deleteMpesaAttempts(attempt.id)
      throw error
    }
    const settled = await settleMpesaPayment(container, attempt.id)
    return { attempt: await retrieveAttempt(container, attempt.id), settled }
  })
}

function registeredProvider(container: MedusaContainer, providerId: string): MpesaGatewayAccess {
  try {
    return mpesaGateway(container, providerId)
  } catch {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${providerId} is not an M-Pesa provider of this store: choose one of those the M-Pesa page's set-up check lists.`)
  }
}

async function payableBalance(container: MedusaContainer, orderId: string): Promise<OrderBalance> {
  const balance = await orderBalance(container, orderId)
  if (!balance) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No order or draft order with id ${orderId}.`)
  }
  const order = balance.display_id ? `Order #${balance.display_id}` : `Order ${balance.order_id}`
  if (balance.status === "canceled") {
    throw refusal("MPESA_ORDER_NOT_PAYABLE", `${order} is cancelled: no payment can be recorded for it.`)
  }
  const currency = checkCurrency(balance.currency_code)
  if (!currency.ok) {
    throw refusal("MPESA_UNSUPPORTED_CURRENCY", `${order} is in ${balance.currency_code.toUpperCase()}: M-Pesa payments are in Kenyan shillings (KES) only.`)
  }
  if (!(balance.outstanding > 0)) {
    throw refusal(
      "MPESA_NOTHING_OUTSTANDING",
      balance.outstanding < 0
        ? `${order} owes nothing: the store owes the customer ${kes(-balance.outstanding)} (a refund, not a payment).`
        : `${order} owes nothing: there is no amount for this payment to pay.`
    )
  }
  return balance
}

async function listedTransactions(provider: MpesaGatewayAccess) {
  try {
    return await provider.transactions()
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
    throw refusal("MPESA_RECEIPT_ALREADY_RECORDED", alreadyRecordedMessage(receipt, known))
  }
}

async function refuseKnownPrompt(container: MedusaContainer, provider: MpesaGatewayAccess, reference: string, receipt: string): Promise<void> {
  const [prompt] = await ledgerOf(container).listMpesaAttempts({ gateway: provider.gatewayName, reference }, { take: 1 })
  if (prompt) {
    throw refusal("MPESA_RECEIPT_ALREADY_RECORDED", answersKnownPromptMessage(receipt, prompt))
  }
}

/**
 * The start-payment guard's rule, seen from the other side: a live prompt on the collection is
 * asked about first (it may have failed, or been paid), then either paid it — nothing left to
 * record — or still rings the customer's phone, and paying both would take the money twice.
 */
async function refuseWhileCollectionBusy(container: MedusaContainer, collectionId: string): Promise<void> {
  const { paid, live } = await collectionBusy(container, collectionId, "merchant")
  if (paid) {
    throw refusal(
      "MPESA_PAYMENT_RECEIVED",
      `A payment for this order was already received (receipt ${paid.receipt ?? "not known yet"}, attempt ${paid.id}) and is being taken, or is held for you on the M-Pesa page: do not record another.`
    )
  }
  if (live) {
    const seconds = secondsLeft(live, pluginOptions(container).promptLifetimeMs)
    throw Object.assign(
      refusal(
        "MPESA_PAYMENT_IN_PROGRESS",
        `A payment prompt for this order is still on the customer's phone (${seconds} s left): if they pay it, there is nothing to record. Record the receipt once the prompt is answered or expired.`
      ),
      { retry_after: seconds }
    )
  }
}

async function writeAttempt(
  container: MedusaContainer,
  { input, provider, receipt, recording, collectionId }: { input: RecordMpesaPaymentInput; provider: MpesaGatewayAccess; receipt: string; recording: Extract<Recording, { ok: true }>; collectionId: string }
): Promise<Attempt> {
  const phone = recording.phone ? checkSafaricomPhone(recording.phone) : undefined
  const msisdn = phone?.ok ? phone.msisdn : undefined
  const now = new Date()
  const note = input.note?.trim() || null
  try {
    return await ledgerOf(container).createMpesaAttempts({
      gateway: provider.gatewayName,
      provider_id: input.provider_id,
      payment_collection_id: collectionId,
      phone_masked: msisdn ? maskPhone(msisdn) : UNKNOWN_PHONE,
      phone_hash: msisdn ? provider.phoneHash(msisdn) : NO_PHONE_HASH,
      amount_requested: recording.amount,
      amount_paid: recording.amount,
      state: RECORDED_PAYMENT_STATE,
      outcome: "paid",
      message: recording.attested
        ? `Recorded by the merchant from M-Pesa receipt ${receipt}, on their word (${provider.label} cannot look receipts up).`
        : `Recorded by the merchant from M-Pesa receipt ${receipt}, found in ${provider.label}'s transactions.`,
      receipt,
      // When the customer paid, where the gateway says; the ledger's "pushed" time for a payment no prompt asked for.
      pushed_at: recording.paid_at ?? now,
      settled_at: now,
      origin: "recorded",
      requested_by: input.actor_id,
      attested: recording.attested,
      attestation_note: note,
    })
  } catch (error) {
    // The receipt is unique in the ledger: recorded meanwhile by another server (a lock that is not shared).
    await refuseKnownReceipt(container, receipt)
    throw error
  }
}

/** Runs `job` holding every key (sorted, as the start-payment workflow takes them, so no two holders deadlock). */
async function underLocks<T>(container: MedusaContainer, keys: string[], job: () => Promise<T>): Promise<T> {
  let started = false
  try {
    return await container.resolve(Modules.LOCKING).execute(
      [...keys].sort(),
      () => {
        started = true
        return job()
      },
      { timeout: 15, expire: 120 }
    )
  } catch (error) {
    if (!started) {
      throw refusal("MPESA_SESSION_LOCKED", "A payment for this order (or this receipt) is being recorded or started right now: wait a moment, then try again.")
    }
    throw error
  }
}
