import { createHash, createHmac } from "node:crypto"

import type { Logger } from "@medusajs/framework/types"

import type { CallbackResult, GatewayName, GatewayTransaction, MpesaGateway } from "../gateways/gateway"
import { gatewayLabel } from "../gateways/http"
import type { RequestClass } from "../gateways/rate-limit"
import { signCallbackUrl, verifyCallbackSignature } from "../lib/callback-url"
import { recordedSignature } from "../lib/recorded-signature"
import { sealPhone } from "../lib/sealed-phone"
import { gatewayMode } from "../lib/gateway-mode"
import { verdictOf, type Verdict } from "../payment/attempt"
import { refusal } from "../payment/refusals"
import type { MpesaProviderOptions } from "./options"

/** What the plugin's own code needs of an attempt to ask about it. */
export type AttemptRef = {
  session_id: string | null
  reference: string
  callback_reference: string | null
  amount_requested: number
}

/**
 * One M-Pesa provider's gateway, as the plugin's routes and workflows use it — apart from the
 * Medusa hooks in mpesa-base.ts. They reach it through the Payment Module (providers/registry.ts),
 * never through `getWebhookActionAndData`, so no request header or body can choose to make the
 * plugin call the status API.
 */
export class MpesaGatewayAccess {
  readonly gatewayName: GatewayName
  private readonly client: MpesaGateway
  private readonly options: MpesaProviderOptions
  private readonly defaultBaseUrl: string
  private readonly logger: Logger | Console

  constructor(init: { gateway: MpesaGateway; gatewayName: GatewayName; options: MpesaProviderOptions; defaultBaseUrl: string; logger: Logger | Console }) {
    this.client = init.gateway
    this.gatewayName = init.gatewayName
    this.options = init.options
    this.defaultBaseUrl = init.defaultBaseUrl
    this.logger = init.logger
  }

  get label(): string {
    return gatewayLabel(this.gatewayName)
  }

  /** Whether a callback URL's `attempt_id` (or `session_id`) and `sig` were signed with this store's secret. */
  isSignedCallback(id: unknown, signature: unknown): boolean {
    return verifyCallbackSignature({ secret: this.options.callbackSecret, gateway: this.gatewayName, id, sig: signature })
  }

  /** Parses a callback body with the gateway's schema. A callback is a hint, never proof. */
  parseCallback(body: unknown): CallbackResult {
    try {
      return this.client.parseCallback(body)
    } catch (error) {
      throw refusal("MPESA_MALFORMED_CALLBACK", (error as Error).message)
    }
  }

  /**
   * A callback copied from another payment (or another attempt's URL reused) is refused: its
   * reference must be the one this attempt's push was given. A push whose answer was lost has
   * no reference on record yet; then the callback's own echo of our reference (Lipia), when
   * there is one, must still name this attempt's session.
   */
  matchCallback(callback: CallbackResult, attempt: Pick<AttemptRef, "session_id" | "callback_reference">): void {
    const echoed = callback.externalReference
    const wrongReference = attempt.callback_reference !== null && callback.reference !== attempt.callback_reference
    const wrongEcho = echoed !== undefined && attempt.session_id !== null && echoed !== attempt.session_id
    if (wrongReference || wrongEcho) {
      throw refusal("MPESA_CALLBACK_MISMATCH", `The callback's reference does not belong to this payment.`)
    }
  }

  /** The status-API reference a callback gives away, when the gateway's callbacks carry one. */
  statusReferenceOf(callback: CallbackResult): string | undefined {
    return this.client.statusReferenceOf(callback)
  }

  /**
   * Asks the gateway's status API about an attempt. Throws `GatewayError` when it cannot —
   * including when the store's request budget has no slot for a request of this class in time.
   */
  async ask(attempt: Pick<AttemptRef, "reference" | "amount_requested">, requestClass: RequestClass = "job"): Promise<Verdict> {
    const status = await this.client.getStatus(attempt.reference, requestClass)
    const verdict = verdictOf(status, attempt.amount_requested)
    if (verdict.event === "confirmed_wrong_amount") {
      this.logger.warn(
        `M-Pesa (${this.gatewayName}): ${attempt.reference} was paid KES ${status.amount} instead of KES ${attempt.amount_requested}; not captured (receipt ${status.receipt ?? "none"})`
      )
    }
    return verdict
  }

  /**
   * Signs a ledger attempt for a payment the merchant recorded by its receipt: a session whose
   * data carries this (`recorded_sig`) is opened by the provider without an STK push.
   */
  signRecordedPayment(attemptId: string): string {
    return recordedSignature(this.options.callbackSecret, this.gatewayName, attemptId)
  }

  /**
   * The number a push goes to, sealed for this attempt's session data (lib/sealed-phone.ts):
   * Medusa writes session data to the database before the provider sees it.
   */
  sealPhone(msisdn: string, attemptId: string): string {
    return sealPhone({ secret: this.options.callbackSecret, gateway: this.gatewayName, attemptId, msisdn })
  }

  /** Keyed, so the small space of phone numbers cannot be brute-forced from the ledger. */
  phoneHash(msisdn: string): string {
    return createHmac("sha256", this.options.callbackSecret).update(msisdn).digest("hex")
  }

  /**
   * What the admin's set-up check shows of this provider: never the key (a fingerprint
   * instead), never the secret.
   */
  setupSummary() {
    const baseUrl = this.options.baseUrl ?? this.defaultBaseUrl
    return {
      gateway: this.gatewayName,
      label: gatewayLabel(this.gatewayName),
      base_url: baseUrl,
      mode: gatewayMode(this.gatewayName, baseUrl),
      callback_url: `${this.options.callbackBaseUrl.replace(/\/+$/, "")}/hooks/mpesa/${this.gatewayName}?attempt_id=…&sig=…`,
      key_fingerprint: `sha256:${createHash("sha256").update(this.options.apiKey).digest("hex").slice(0, 12)}`,
      manual_refunds: !!this.options.manualRefunds,
      lists_transactions: typeof this.client.listTransactions === "function",
    }
  }

  /** A signed URL for the set-up check to call the store's own public callback route with. */
  pingUrl(providerId: string, nonce: string): string {
    const url = new URL(signCallbackUrl({ baseUrl: this.options.callbackBaseUrl, secret: this.options.callbackSecret, gateway: this.gatewayName, sessionId: `ping_${nonce}` }))
    url.searchParams.set("ping", providerId)
    return url.toString()
  }

  /**
   * The gateway's most recent `limit` transactions, newest first, or undefined where it has no
   * list (Lipia). Always bounded: without a limit Lipwa returns the whole account.
   */
  async transactions(limit: number): Promise<GatewayTransaction[] | undefined> {
    return this.client.listTransactions ? this.client.listTransactions(limit) : undefined
  }
}
