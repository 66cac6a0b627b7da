import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  IEventBusModuleService,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { AbstractPaymentProvider, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"

import { GatewayError, pushMayHaveReached } from "../gateways/errors"
import { gatewayLabel } from "../gateways/http"
import type { GatewayName, MpesaGateway, StkPushResult } from "../gateways/gateway"
import { checkAmount, checkCurrency, toAmountNumber } from "../lib/amount"
import { signCallbackUrl } from "../lib/callback-url"
import { verifyRecordedSignature } from "../lib/recorded-signature"
import { checkSafaricomPhone, maskPhone } from "../lib/phone"
import { openSealedPhone } from "../lib/sealed-phone"
import { PENDING_MESSAGE } from "../lib/result-codes"
import { ATTEMPT_STATES, isLive, sessionStatus, STATE, UNCONFIRMED_PUSH_MESSAGE, type AttemptState } from "../payment/attempt"
import { MPESA_REFUND_REFUSED, type MpesaRefundRefused } from "../payment/events"
import { PROMPT_LIFETIME_MS } from "../payment/plugin-options"
import { decideRefund } from "../payment/refunds"
import { refusal } from "../payment/refusals"
import { shopperError } from "./errors"
import { MpesaGatewayAccess } from "./gateway-access"
import { validateMpesaOptions, type MpesaProviderOptions } from "./options"
import {
  isMpesaSessionData,
  isUnconfirmedSessionData,
  withoutOtherKeys,
  type MpesaSessionData,
  type UnconfirmedSessionData,
} from "./session-data"

type Container = Record<string, unknown> & { logger?: Logger }

/** The session of a recorded payment knows no phone: the ledger keeps the masked one, when the gateway listed it. */
const RECORDED_PHONE = "not known"
const RECORDED_MESSAGE = "Paid by M-Pesa outside the payment prompt (Paybill or Till); recorded by the store from its M-Pesa receipt."

/**
 * Every Medusa payment hook, written once against the `MpesaGateway` interface. The Lipia and
 * Lipwa providers only say which gateway client to build. Reads top-down like a payment:
 * initiate (STK push) → authorize (the verdict the plugin recorded) → capture (nothing to do)
 * → refund (refused: M-Pesa has no refund API; payment/refunds.ts) → webhooks (left to the
 * plugin's own subscriber). What the plugin's routes and workflows use of the gateway —
 * signatures, callbacks, the status API, the set-up check — is `access`
 * (providers/gateway-access.ts), reached through the Payment Module (providers/registry.ts).
 */
export abstract class MpesaProviderService extends AbstractPaymentProvider<MpesaProviderOptions> {
  protected readonly options_: MpesaProviderOptions
  protected readonly logger_: Logger | Console
  protected readonly gateway: MpesaGateway

  protected constructor(container: Container, options: MpesaProviderOptions) {
    super(container, options)
    this.options_ = options
    this.logger_ = container.logger ?? console
    this.gateway = this.createGateway(options)
  }

  /**
   * Checks the provider's options at boot (Medusa calls it on the provider class): a store with
   * a missing key, channel or secret must not start and take orders it cannot collect.
   */
  static validateOptions(this: { identifier: string }, options: Record<string, unknown>): void {
    validateMpesaOptions(this.identifier === "mpesa-lipwa" ? "lipwa" : "lipia", options)
  }

  abstract get gatewayName(): GatewayName
  protected abstract createGateway(options: MpesaProviderOptions): MpesaGateway

  /**
   * Sends the STK push. The session is created if the gateway accepted it, or if nobody can
   * tell whether it did (the answer timed out or came back garbled): then a prompt may be on
   * the phone, and the session is kept, marked `push_unconfirmed`, so that a payment made to
   * it still has a cart to complete. Only a push that provably went nowhere is refused.
   */
  async initiatePayment({ amount, currency_code, data = {}, context }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = String(data.session_id ?? context?.idempotency_key ?? "")
    const attemptId = typeof data.attempt_id === "string" && data.attempt_id.startsWith("mpatt_") ? data.attempt_id : undefined
    // Only the plugin's own workflow can sign an attempt: unsigned or wrongly signed, the data
    // is a storefront's like any other, and asks for a push.
    if (attemptId && sessionId && verifyRecordedSignature({ secret: this.options_.callbackSecret, gateway: this.gatewayName, attemptId, sig: data.recorded_sig })) {
      return this.openRecordedSession({ amount, currency_code, data, sessionId, attemptId })
    }
    const phone = checkSafaricomPhone(this.numberToPush(data, attemptId, sessionId, context?.customer?.phone))
    if (!phone.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, phone.message, phone.code)
    }
    const currency = checkCurrency(currency_code)
    if (!currency.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, currency.message, currency.code)
    }
    const checked = this.amountToAsk(amount)
    if (!checked.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, checked.message, checked.code)
    }
    if (!sessionId) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "M-Pesa needs the payment session id to send a payment prompt.")
    }

    const masked = maskPhone(phone.msisdn)
    const common = {
      session_id: sessionId,
      ...(attemptId ? { attempt_id: attemptId } : {}),
      gateway: this.gatewayName,
      phone: masked,
      phone_number: masked,
      amount_requested: checked.amount,
      ...(checked.rounded ? { amount_due: toAmountNumber(amount) } : {}),
      currency_code: "kes" as const,
      pushed_at: new Date().toISOString(),
    }
    let push: StkPushResult
    try {
      push = await this.gateway.pushStk({
        phone: phone.msisdn,
        amount: checked.amount,
        reference: sessionId,
        callbackUrl: signCallbackUrl({
          baseUrl: this.options_.callbackBaseUrl,
          secret: this.options_.callbackSecret,
          gateway: this.gatewayName,
          ...(attemptId ? { attemptId } : { sessionId }),
        }),
      })
    } catch (error) {
      if (!pushMayHaveReached(error)) {
        throw this.failedPush(error, sessionId, phone.msisdn)
      }
      this.logger_.warn(
        `M-Pesa (${this.gatewayName}): STK push for ${sessionId} to ${masked} may or may not have reached M-Pesa (${(error as Error).message}); kept as unconfirmed`
      )
      const unconfirmed: UnconfirmedSessionData = {
        ...common,
        // Lipia's callbacks carry our own reference (the session id), so that much is known.
        ...(this.gateway.callbackCarriesOurReference ? { callback_reference: sessionId } : {}),
        state: "pushing",
        push_unconfirmed: true,
        message: UNCONFIRMED_PUSH_MESSAGE,
      }
      return { id: sessionId, status: PaymentSessionStatus.PENDING, data: withoutOtherKeys(data, unconfirmed) }
    }

    this.logger_.info(
      `M-Pesa (${this.gatewayName}): STK push sent for ${sessionId} to ${masked}, KES ${checked.amount}, reference ${push.reference}`
    )
    const sessionData: MpesaSessionData = {
      ...common,
      reference: push.reference,
      callback_reference: push.callbackReference,
      ...(push.checkoutId ? { checkout_id: push.checkoutId } : {}),
      state: "pending",
      message: PENDING_MESSAGE,
    }
    return { id: push.reference, status: PaymentSessionStatus.PENDING, data: withoutOtherKeys(data, sessionData) }
  }

  /**
   * Medusa asks this when the cart completes. The gateway's status API is the only truth, but it
   * is asked by the plugin's workflows, which record its verdict in the ledger and copy it here.
   */
  async authorizePayment({ data }: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return this.recordedVerdict(data)
  }

  /** M-Pesa has no separate capture: a confirmed payment is already captured. */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    return { data }
  }

  /**
   * Notes the cancellation and nothing else. An STK prompt cannot be withdrawn from the
   * phone: if the shopper still enters the PIN, the money arrives, and the ledger (which keeps
   * the attempt whatever Medusa does with its session) finds it.
   */
  async cancelPayment({ data }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    return { data: { ...data, canceled_at: new Date().toISOString() } }
  }

  async deletePayment({ data }: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return { data: { ...data, canceled_at: new Date().toISOString() } }
  }

  /**
   * Neither aggregator can reverse a payment through its API. Refusing is the honest answer (a
   * silent success would tell the merchant the customer has their money back). With
   * `manualRefunds`, a refund the merchant asked for in the admin (the plugin's guard on
   * `POST /admin/payments/:id/refund` puts the request on the payment first) is recorded as
   * reversed by hand. A refund nobody asked for — Medusa's own compensation after a failed
   * cart completion — is refused and reported, so it is never written down as money returned.
   */
  async refundPayment({ amount, data = {}, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const shillings = toAmountNumber(amount)
    const decision = decideRefund({
      amount: shillings,
      data,
      manualRefunds: !!this.options_.manualRefunds,
      label: this.label,
      gateway: this.gatewayName,
      refundId: context?.idempotency_key,
    })
    if ("refused" in decision) {
      if (decision.refused === "MPESA_REFUND_NOT_REQUESTED") {
        await this.reportRefusedRefund(isMpesaSessionData(data) ? data : undefined, shillings)
      }
      throw refusal(decision.refused, decision.message)
    }
    return { data: decision.data }
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return this.recordedVerdict(data)
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    return { data: (await this.recordedVerdict(data)).data }
  }

  /**
   * Never called by Medusa's own flows in 2.21 (cart changes delete the session instead); kept
   * for callers of `updatePaymentSession`. A new amount needs a new prompt, but not while one
   * is still live on the phone.
   */
  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const data = input.data ?? {}
    // A push of unknown fate keeps its session (no reference yet): a verdict written into it —
    // a merchant's acceptance of its claim — must never be taken for a new push.
    if (!isMpesaSessionData(data) && !isUnconfirmedSessionData(data)) {
      return this.initiatePayment(input)
    }
    const checked = this.amountToAsk(input.amount)
    if (checked.ok && checked.amount === data.amount_requested) {
      return { data, status: sessionStatus(data.state) }
    }
    if (isLive(data, PROMPT_LIFETIME_MS)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "A payment prompt is already on the shopper's phone; the amount can change once it is answered or expires.",
        "MPESA_PAYMENT_IN_PROGRESS"
      )
    }
    // The stored phone is masked: a new prompt needs the caller to supply the number again
    // (a masked one is refused as MPESA_INVALID_PHONE).
    return this.initiatePayment({ ...input, data: { session_id: data.session_id, phone_number: data.phone_number } })
  }

  /**
   * Medusa's generic `/hooks/payment/{provider}` route. Its own subscriber acts on what this
   * returns, with no ledger and no spacing: anyone who can read a session id from their cart
   * could make it ask the status API as often as they post. So the answer here is always
   * `not_supported`; the plugin's subscriber on the same event (subscribers/generic-webhook.ts)
   * finds the attempt in the ledger and asks the gateway under the same spacing as a poll.
   */
  async getWebhookActionAndData(_payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    return { action: PaymentActions.NOT_SUPPORTED }
  }

  // ---- What the plugin's own code uses (providers/gateway-access.ts) ------------------------

  /**
   * The calls the plugin's routes and workflows make on this provider's gateway — signatures,
   * callbacks, the status API, the set-up check — kept apart from Medusa's hooks above.
   */
  get access(): MpesaGatewayAccess {
    this.access_ ??= new MpesaGatewayAccess({ gateway: this.gateway, gatewayName: this.gatewayName, options: this.options_, defaultBaseUrl: this.defaultBaseUrl, logger: this.logger_ })
    return this.access_
  }
  private access_?: MpesaGatewayAccess

  protected abstract get defaultBaseUrl(): string

  get label(): string {
    return gatewayLabel(this.gatewayName)
  }

  // ---- Internals -------------------------------------------------------------------------

  /**
   * The session of a payment received outside any prompt (Paybill/Till) that the merchant
   * recorded by its receipt (workflows/record-mpesa-payment.ts): nothing is sent to any phone.
   * It says only what the provider knows — pending; the ledger's verdict (paid, receipt,
   * amount) reaches it as every verdict does, mirrored by the settle path, so authorizing it
   * still reads the ledger's word and never this hook's.
   */
  private openRecordedSession(input: { amount: unknown; currency_code: string; data: Record<string, unknown>; sessionId: string; attemptId: string }): InitiatePaymentOutput {
    const currency = checkCurrency(input.currency_code)
    if (!currency.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, currency.message, currency.code)
    }
    const checked = this.amountToAsk(input.amount)
    if (!checked.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, checked.message, checked.code)
    }
    const sessionData: MpesaSessionData = {
      session_id: input.sessionId,
      attempt_id: input.attemptId,
      gateway: this.gatewayName,
      // No gateway reference exists for a payment no prompt asked for: the ledger row is its record.
      reference: input.attemptId,
      callback_reference: input.attemptId,
      phone: RECORDED_PHONE,
      phone_number: RECORDED_PHONE,
      amount_requested: checked.amount,
      currency_code: "kes",
      state: "pending",
      message: RECORDED_MESSAGE,
      pushed_at: new Date().toISOString(),
      recorded: true,
    }
    this.logger_.info(`M-Pesa (${this.gatewayName}): session ${input.sessionId} opened for the recorded payment ${input.attemptId}, KES ${checked.amount}; no prompt sent`)
    // The signature is dropped with every other key the caller sent (withoutOtherKeys): session
    // data is readable by the storefront, and must never hand anyone a signed attempt.
    return { id: input.attemptId, status: PaymentSessionStatus.PENDING, data: withoutOtherKeys(input.data, sessionData) }
  }

  /**
   * The number the push goes to: sealed by the plugin's start-payment step (lib/sealed-phone.ts),
   * so the session row Medusa writes before calling this hook never holds it whole; else as a
   * store's own code passed it (`phone_number` or `phone`), else the customer's. A sealed number
   * that does not open (another attempt's, or altered) is never pushed to, nor replaced by a
   * number in clear beside it.
   */
  private numberToPush(data: Record<string, unknown>, attemptId: string | undefined, sessionId: string, customerPhone: unknown): unknown {
    if (data.phone_sealed === undefined) {
      return data.phone_number ?? data.phone ?? customerPhone
    }
    const msisdn = openSealedPhone({ secret: this.options_.callbackSecret, gateway: this.gatewayName, attemptId, sealed: data.phone_sealed })
    if (!msisdn) {
      this.logger_.error(`M-Pesa (${this.gatewayName}): the sealed phone number of ${sessionId} (attempt ${attemptId ?? "none"}) does not open with this provider's callbackSecret; no prompt sent`)
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The M-Pesa phone number could not be read. Enter it again and retry.", "MPESA_INVALID_PHONE")
    }
    return msisdn
  }

  /** The whole shillings this provider asks for a Medusa amount (rounding and ceiling as configured). */
  private amountToAsk(amount: unknown) {
    return checkAmount(amount, { gateway: this.gatewayName, rounding: this.options_.amountRounding, maxAmount: this.options_.maxAmount })
  }


  /**
   * What Medusa's session says of the payment, as the plugin recorded it there from the ledger
   * (recheck-mpesa-payment writes every verdict into the session as it moves the attempt). The
   * provider decides nothing and asks nothing: the lifecycle is decided in payment/attempt.ts,
   * once, on the ledger — and a storefront pressing "complete" in a loop cannot make the store
   * spend its status-API budget. A payment held for the merchant is never authorized by automation.
   */
  private async recordedVerdict(data: Record<string, unknown> | undefined): Promise<{ status: PaymentSessionStatus; data: Record<string, unknown> }> {
    if (isUnconfirmedSessionData(data)) {
      // A push of unknown fate waits until the ledger decides. A verdict the plugin then writes
      // into it (the merchant accepted its claim: mirror-verdict) is followed like any other.
      const state = (data as Record<string, unknown>).state as string
      if (state === STATE.pushing || !(ATTEMPT_STATES as readonly string[]).includes(state)) {
        return { status: PaymentSessionStatus.PENDING, data }
      }
      return { status: data.hold ? PaymentSessionStatus.REQUIRES_MORE : sessionStatus(state as AttemptState), data }
    }
    if (!isMpesaSessionData(data)) {
      return {
        status: PaymentSessionStatus.ERROR,
        data: { ...data, state: "not_sent", message: "No M-Pesa payment was started for this session. Send the prompt again." },
      }
    }
    if (data.hold) {
      return { status: PaymentSessionStatus.REQUIRES_MORE, data }
    }
    return { status: sessionStatus(data.state), data }
  }

  private async reportRefusedRefund(session: MpesaSessionData | undefined, amount: number): Promise<void> {
    const eventBus = this.container.event_bus as IEventBusModuleService | undefined
    const event: MpesaRefundRefused = {
      gateway: this.gatewayName,
      session_id: session?.session_id ?? null,
      reference: session?.reference ?? null,
      receipt: session?.receipt ?? null,
      amount,
    }
    this.logger_.error(
      `M-Pesa (${this.gatewayName}): refused a refund of KES ${amount} nobody asked for (receipt ${event.receipt ?? "none"}); flagged for the merchant`
    )
    await eventBus?.emit({ name: MPESA_REFUND_REFUSED, data: event }).catch((error: Error) => {
      this.logger_.error(`M-Pesa (${this.gatewayName}): could not flag the refused refund: ${error.message}`)
    })
  }

  private failedPush(error: unknown, sessionId: string, msisdn: string): Error {
    const masked = maskPhone(msisdn)
    if (GatewayError.is(error)) {
      this.logger_.error(`M-Pesa (${this.gatewayName}): STK push for ${sessionId} to ${masked} failed: ${error.message}`)
      return shopperError(error)
    }
    this.logger_.error(`M-Pesa (${this.gatewayName}): STK push for ${sessionId} to ${masked} failed unexpectedly: ${String(error)}`)
    return refusal("MPESA_UNAVAILABLE")
  }

}
