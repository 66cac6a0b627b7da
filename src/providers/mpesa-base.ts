import { createHmac } from "node:crypto"

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
  IPaymentModuleService,
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

import { checkAmount, checkCurrency, toAmountNumber } from "../lib/amount"
import { signCallbackUrl, verifyCallbackSignature } from "../lib/callback-url"
import { GatewayError } from "../lib/errors"
import { MPESA_STK_PUSHED, type MpesaStkPushed } from "../lib/events"
import type { GatewayName, MpesaGateway, StatusResult } from "../lib/gateway"
import { checkSafaricomPhone, maskPhone } from "../lib/phone"
import { PROMPT_LIFETIME_MS } from "../lib/plugin-options"
import { PENDING_MESSAGE } from "../lib/result-codes"
import { decide } from "./decide"
import { shopperError } from "./errors"
import type { MpesaProviderOptions } from "./options"
import { isMpesaSessionData, type MpesaSessionData } from "./session-data"


type Container = Record<string, unknown> & { logger?: Logger }

/** Headers the plugin's callback route uses to hand the URL's parts to the provider. */
export const SESSION_HEADER = "x-mpesa-session-id"
export const SIGNATURE_HEADER = "x-mpesa-signature"
/** Asks the provider to re-check a session with the status API (no callback involved). */
export const RECHECK_HEADER = "x-mpesa-recheck-session"

/** What a callback turned out to mean once the status API was asked. */
export type VerifiedCallback = {
  sessionId: string
  providerId: string
  /** The session amount (what Medusa captures). */
  amount: number
  /** What the callback body claimed. */
  claimed: "pending" | "paid" | "failed"
  /** Whether the status API agreed with the claim. */
  confirmed: boolean
  /** The session status the status API supports. */
  status: PaymentSessionStatus
  /** The session data, updated with what the status API said. */
  data: Record<string, unknown>
}

/**
 * Every Medusa payment hook, written once against the `MpesaGateway` interface. The Lipia and
 * Lipwa providers only say which gateway client to build. Reads top-down like a payment:
 * initiate (STK push) → authorize (ask the gateway) → capture (nothing to do) → refund (refused:
 * M-Pesa has no refund API) → webhooks (verified through the status API).
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

  protected abstract get gatewayName(): GatewayName
  protected abstract createGateway(options: MpesaProviderOptions): MpesaGateway

  /** Sends the STK push. The session is created only if the gateway accepted it. */
  async initiatePayment({ amount, currency_code, data = {}, context }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = String(data.session_id ?? context?.idempotency_key ?? "")
    const phone = checkSafaricomPhone(data.phone_number ?? data.phone ?? context?.customer?.phone)
    if (!phone.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, phone.message, phone.code)
    }
    const currency = checkCurrency(currency_code)
    if (!currency.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, currency.message, currency.code)
    }
    const checked = checkAmount(amount, {
      gateway: this.gatewayName,
      rounding: this.options_.amountRounding,
      maxAmount: this.options_.maxAmount,
    })
    if (!checked.ok) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, checked.message, checked.code)
    }
    if (!sessionId) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "M-Pesa needs the payment session id to send a payment prompt.")
    }

    const push = await this.gateway
      .pushStk({
        phone: phone.msisdn,
        amount: checked.amount,
        reference: sessionId,
        callbackUrl: signCallbackUrl({
          baseUrl: this.options_.callbackBaseUrl,
          secret: this.options_.callbackSecret,
          gateway: this.gatewayName,
          sessionId,
        }),
      })
      .catch((error: unknown) => {
        throw this.failedPush(error, sessionId, phone.msisdn)
      })

    const masked = maskPhone(phone.msisdn)
    this.logger_.info(
      `M-Pesa (${this.gatewayName}): STK push sent for ${sessionId} to ${masked}, KES ${checked.amount}, reference ${push.reference}`
    )
    const now = new Date().toISOString()
    const sessionData: MpesaSessionData = {
      session_id: sessionId,
      gateway: this.gatewayName,
      reference: push.reference,
      callback_reference: push.callbackReference,
      ...(push.checkoutId ? { checkout_id: push.checkoutId } : {}),
      phone: masked,
      phone_number: masked,
      amount_requested: checked.amount,
      ...(checked.rounded ? { amount_due: toAmountNumber(amount) } : {}),
      currency_code: "kes",
      state: "pending",
      message: PENDING_MESSAGE,
      pushed_at: now,
    }
    await this.recordPush(sessionData, phone.msisdn)
    return { id: push.reference, status: PaymentSessionStatus.PENDING, data: sessionData }
  }

  /**
   * Tells the ledger about the push. The provider cannot reach other modules (it lives in the
   * Payment Module's container), so it emits an event and a subscriber writes the row. A
   * failure here must not fail a push that already rang the phone: it is logged, and the
   * callback, poll and job paths still find the payment through its session.
   */
  private async recordPush(data: MpesaSessionData, msisdn: string): Promise<void> {
    const eventBus = this.container.event_bus as IEventBusModuleService | undefined
    const event: MpesaStkPushed = {
      session_id: data.session_id,
      gateway: data.gateway,
      reference: data.reference,
      callback_reference: data.callback_reference,
      ...(data.checkout_id ? { checkout_id: data.checkout_id } : {}),
      phone_masked: data.phone,
      // Keyed, so the small space of phone numbers cannot be brute-forced from the ledger.
      phone_hash: createHmac("sha256", this.options_.callbackSecret).update(msisdn).digest("hex"),
      amount_requested: data.amount_requested,
      pushed_at: data.pushed_at,
    }
    try {
      await eventBus?.emit({ name: MPESA_STK_PUSHED, data: event })
    } catch (error) {
      this.logger_.error(`M-Pesa (${this.gatewayName}): could not record the push for ${data.session_id}: ${(error as Error).message}`)
    }
  }

  /** Medusa asks this when the cart completes: the gateway's status API is the only truth. */
  async authorizePayment({ data }: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return this.check(data)
  }

  /** M-Pesa has no separate capture: a confirmed payment is already captured. */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    return { data }
  }

  /**
   * Records the cancellation. An STK prompt cannot be withdrawn from the phone: if the shopper
   * still enters the PIN, the money arrives and is found by the status checks.
   */
  async cancelPayment({ data }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    return { data: this.canceled(data) }
  }

  async deletePayment({ data }: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return { data: this.canceled(data) }
  }

  /**
   * Neither aggregator can reverse a payment through its API. Refusing is the honest answer (a
   * silent success would tell the merchant the customer has their money back). With
   * `manualRefunds`, the merchant reverses in the M-Pesa portal and Medusa records it.
   */
  async refundPayment({ amount, data, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const shillings = toAmountNumber(amount)
    if (!this.options_.manualRefunds) {
      const receipt = isMpesaSessionData(data) && data.receipt ? ` (M-Pesa receipt ${data.receipt})` : ""
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `M-Pesa payments cannot be refunded through ${this.label}. Reverse KES ${shillings}${receipt} to the customer from your M-Pesa portal; to record refunds made that way in Medusa, set manualRefunds: true on the mpesa-${this.gatewayName} provider.`,
        "MPESA_REFUND_NOT_SUPPORTED"
      )
    }
    const refunds = isMpesaSessionData(data) ? (data.refunds ?? []) : []
    return {
      data: {
        ...data,
        refunds: [
          ...refunds,
          {
            amount: shillings,
            refund_id: context?.idempotency_key,
            recorded_at: new Date().toISOString(),
            note: "Reversed by the merchant in the M-Pesa portal (manualRefunds).",
          },
        ],
      },
    }
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return this.check(data)
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    return { data: (await this.check(data)).data }
  }

  /**
   * Never called by Medusa's own flows in 2.21 (cart changes delete the session instead); kept
   * for callers of `updatePaymentSession`. A new amount needs a new prompt, but not while one
   * is still live on the phone.
   */
  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const data = input.data ?? {}
    if (!isMpesaSessionData(data)) {
      return this.initiatePayment(input)
    }
    const checked = checkAmount(input.amount, {
      gateway: this.gatewayName,
      rounding: this.options_.amountRounding,
      maxAmount: this.options_.maxAmount,
    })
    if (checked.ok && checked.amount === data.amount_requested) {
      return { data, status: statusOf(data) }
    }
    if (data.state === "pending" && Date.now() - Date.parse(data.pushed_at) < PROMPT_LIFETIME_MS) {
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
   * Callbacks reach this two ways.
   *
   * - From the plugin's own route (`/hooks/mpesa/{gateway}`), which passes the URL's
   *   `session_id` and `sig` as the `x-mpesa-session-id` / `x-mpesa-signature` headers: the
   *   signature must be valid, the body must parse, and its reference must be the session's.
   *   Anything else throws a `MedusaError` the route turns into a 4xx.
   * - From Medusa's generic `/hooks/payment/{provider}` route, which drops the query string:
   *   there is no signature to check, so nothing in the body is believed beyond the reference
   *   used to find the session, and anything odd is `not_supported`.
   *
   * Either way the gateway's status API decides the action, never the callback body.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const headers = payload.headers ?? {}
    if (headers[RECHECK_HEADER] !== undefined) {
      const verified = await this.recheck(String(headers[RECHECK_HEADER]))
      return { ...toWebhookResult(verified), data: { session_id: verified.sessionId, amount: verified.amount, mpesa: verified } as WebhookActionResult["data"] }
    }
    if (headers[SIGNATURE_HEADER] !== undefined || headers[SESSION_HEADER] !== undefined) {
      const verified = await this.verifyCallback(payload.data, {
        sessionId: headers[SESSION_HEADER],
        signature: headers[SIGNATURE_HEADER],
      })
      // The plugin's route needs the whole verdict (result code, message, receipt) to write it
      // back; Medusa's own subscriber reads only `session_id` and `amount`.
      const result = toWebhookResult(verified)
      return { ...result, data: { session_id: verified.sessionId, amount: verified.amount, mpesa: verified } as WebhookActionResult["data"] }
    }
    try {
      return toWebhookResult(await this.verifyCallback(payload.data, {}))
    } catch (error) {
      this.logger_.warn(`M-Pesa (${this.gatewayName}): ignored a webhook on Medusa's generic route: ${(error as Error).message}`)
      return { action: PaymentActions.NOT_SUPPORTED }
    }
  }

  /**
   * Verifies a callback and says what the gateway's status API confirms. With `signature`
   * given (the plugin's route), the signature is checked first, in constant time.
   */
  async verifyCallback(
    body: unknown,
    url: { sessionId?: unknown; signature?: unknown }
  ): Promise<VerifiedCallback> {
    const signed = url.signature !== undefined || url.sessionId !== undefined
    if (
      signed &&
      !verifyCallbackSignature({
        secret: this.options_.callbackSecret,
        gateway: this.gatewayName,
        sessionId: url.sessionId,
        sig: url.signature,
      })
    ) {
      throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "The callback URL's signature is missing or wrong.", "MPESA_BAD_SIGNATURE")
    }
    let callback
    try {
      callback = this.gateway.parseCallback(body)
    } catch (error) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, (error as Error).message, "MPESA_MALFORMED_CALLBACK")
    }
    const sessionId = signed ? String(url.sessionId) : callback.externalReference
    const session = sessionId ? await this.findSession(sessionId) : undefined
    if (!session || !isMpesaSessionData(session.data)) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `No M-Pesa payment session ${sessionId ?? ""} is known.`, "MPESA_UNKNOWN_SESSION")
    }
    // A callback copied from another payment (or another session's URL reused) is refused:
    // its reference must be the one this session's push was given.
    const expectedExternal = session.id
    if (
      callback.reference !== session.data.callback_reference ||
      (callback.externalReference !== undefined && callback.externalReference !== expectedExternal)
    ) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `The callback's reference does not belong to payment session ${session.id}.`,
        "MPESA_CALLBACK_MISMATCH"
      )
    }
    const status = await this.gateway.getStatus(session.data.reference)
    const decision = decide(status, session.data.amount_requested)
    const claimed = callback.state
    if (claimed !== "pending" && claimed !== status.state) {
      this.logger_.warn(
        `M-Pesa (${this.gatewayName}): a callback for ${session.id} says ${claimed} but ${this.label}'s status API says ${status.state}; the status API wins`
      )
    }
    return {
      sessionId: session.id,
      providerId: session.provider_id,
      amount: session.amount as unknown as number,
      claimed,
      confirmed: status.state === claimed,
      status: decision.status,
      data: { ...session.data, ...decision.patch },
    }
  }

  /**
   * Asks the status API where a session's payment stands, with no callback at all: for the
   * recovery job, the storefront's polling and the one-prompt guard. It can only ever report
   * the gateway's truth, so it needs no signature.
   */
  async recheck(sessionId: string): Promise<VerifiedCallback> {
    const session = await this.findSession(sessionId)
    if (!session || !isMpesaSessionData(session.data)) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `No M-Pesa payment session ${sessionId} is known.`, "MPESA_UNKNOWN_SESSION")
    }
    const status = await this.gateway.getStatus(session.data.reference)
    const decision = decide(status, session.data.amount_requested)
    return {
      sessionId: session.id,
      providerId: session.provider_id,
      amount: session.amount as unknown as number,
      claimed: status.state,
      confirmed: true,
      status: decision.status,
      data: { ...session.data, ...decision.patch },
    }
  }

  /** Asks the gateway and maps the answer; an unreachable gateway leaves the payment pending. */
  private async check(data: Record<string, unknown> | undefined): Promise<{ status: PaymentSessionStatus; data: Record<string, unknown> }> {
    if (!isMpesaSessionData(data)) {
      return {
        status: PaymentSessionStatus.ERROR,
        data: { ...data, state: "failed", message: "No M-Pesa payment was started for this session. Start the payment again." },
      }
    }
    let status: StatusResult
    try {
      status = await this.gateway.getStatus(data.reference)
    } catch (error) {
      // Never lose a payment because a status call failed: it stays pending and is asked again.
      this.logger_.warn(
        `M-Pesa (${this.gatewayName}): status check for ${data.session_id} failed, keeping it pending: ${(error as Error).message}`
      )
      return { status: statusOf(data), data: { ...data, checked_at: new Date().toISOString() } }
    }
    const decision = decide(status, data.amount_requested)
    if (decision.status === PaymentSessionStatus.REQUIRES_MORE) {
      this.logger_.warn(
        `M-Pesa (${this.gatewayName}): ${data.session_id} was paid KES ${status.amount} instead of KES ${data.amount_requested}; not captured (receipt ${status.receipt ?? "none"})`
      )
    }
    return { status: decision.status, data: { ...data, ...decision.patch } }
  }

  private canceled(data: Record<string, unknown> | undefined): Record<string, unknown> {
    if (!isMpesaSessionData(data)) {
      return { ...data, canceled_at: new Date().toISOString() }
    }
    return {
      ...data,
      state: data.state === "pending" ? "canceled" : data.state,
      canceled_at: new Date().toISOString(),
    }
  }

  private failedPush(error: unknown, sessionId: string, msisdn: string): Error {
    const masked = maskPhone(msisdn)
    if (GatewayError.is(error)) {
      this.logger_.error(`M-Pesa (${this.gatewayName}): STK push for ${sessionId} to ${masked} failed: ${error.message}`)
      return shopperError(error)
    }
    this.logger_.error(`M-Pesa (${this.gatewayName}): STK push for ${sessionId} to ${masked} failed unexpectedly: ${String(error)}`)
    return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "M-Pesa is not available right now. Try again, or choose another payment method.", "MPESA_UNAVAILABLE")
  }

  private async findSession(sessionId: string) {
    const paymentModule = this.container.paymentModuleService as IPaymentModuleService | undefined
    if (!paymentModule) {
      return undefined
    }
    return paymentModule
      // A session Medusa replaced (deleted) can still be paid late: it must still be found.
      .retrievePaymentSession(sessionId, { select: ["id", "data", "amount", "provider_id", "status"], withDeleted: true })
      .catch(() => undefined)
  }

  private get label(): string {
    return this.gatewayName === "lipia" ? "Lipia" : "Lipwa"
  }
}

function toWebhookResult(verified: VerifiedCallback): WebhookActionResult {
  const data = { session_id: verified.sessionId, amount: verified.amount }
  switch (verified.status) {
    case PaymentSessionStatus.CAPTURED:
      return { action: PaymentActions.SUCCESSFUL, data }
    case PaymentSessionStatus.ERROR:
      return { action: PaymentActions.FAILED, data }
    case PaymentSessionStatus.REQUIRES_MORE:
      return { action: PaymentActions.REQUIRES_MORE, data }
    default:
      // Medusa before 2.18 tried to complete the cart on "pending": report nothing instead.
      return { action: PaymentActions.NOT_SUPPORTED }
  }
}

function statusOf(data: MpesaSessionData): PaymentSessionStatus {
  switch (data.state) {
    case "paid":
      return PaymentSessionStatus.CAPTURED
    case "failed":
      return PaymentSessionStatus.ERROR
    case "amount_mismatch":
      return PaymentSessionStatus.REQUIRES_MORE
    case "canceled":
      return PaymentSessionStatus.CANCELED
    default:
      return PaymentSessionStatus.PENDING
  }
}
