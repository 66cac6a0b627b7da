/**
 * The phone and M-Pesa behind both APIs: a push opens a prompt, the prompt settles (by
 * itself after a delay, or when someone answers on /phone or the control API), and the
 * settlement is reported by callback.
 */
import { CallbackSender } from "./callbacks"
import { SandboxError } from "./errors"
import { ANY_ACCOUNT, Ledger, type LedgerEntry, type NewPayment, snapshot } from "./ledger"
import { lipiaCallbackBody } from "./lipia-payloads"
import { lipwaCallbackBody } from "./lipwa-payloads"
import { maskPhone } from "./mask-phone"
import { OUTCOMES, underpaidAmount } from "./outcomes"
import { Timers } from "./timers"

/** What Safaricom prints on the customer's message: 10 letters and digits. */
const RECEIPT = /^[A-Z0-9]{10}$/
import { checkPushPhone } from "./stk-push-rules"
import type { CallbackDelivery, Outcome, SandboxPayment, SettleOptions, TillPayment } from "./types"

export interface SimulatorOptions {
  manual: boolean
  approveDelayMs: number
  log: (line: string) => void
}

export class Simulator {
  private autoSettle = new Map<LedgerEntry, NodeJS.Timeout>()
  private closed = false

  constructor(
    readonly ledger: Ledger,
    private timers: Timers,
    private sender: CallbackSender,
    private options: SimulatorOptions,
  ) {}

  /** Opens a prompt and, unless it must wait for a human, schedules how it ends. */
  push(input: NewPayment): LedgerEntry {
    const entry = this.ledger.create(input, new Date())
    const p = entry.payment
    const plan = this.plan(p)
    if (plan) {
      p.autoSettleAt = new Date(entry.createdMs + this.options.approveDelayMs).toISOString()
      const handle = this.timers.after(this.options.approveDelayMs, () => {
        this.autoSettle.delete(entry)
        this.settle(p.ref, plan.outcome, { callback: plan.callback }).catch((err: unknown) =>
          this.options.log(`${p.api} auto-settle ${p.ref} failed: ${err instanceof Error ? err.message : String(err)}`),
        )
      })
      this.autoSettle.set(entry, handle)
    }
    this.options.log(
      `${p.api} push ${maskPhone(p.phone)} KES ${p.amount} → ${p.ref}` +
        (plan ? ` (${plan.outcome} in ${this.options.approveDelayMs} ms)` : " (waiting on /phone)"),
    )
    return entry
  }

  /**
   * Money the customer sent to the merchant's Paybill or Till by themselves: no prompt, no
   * callback (M-Pesa calls no store back for it), received at once. `account` is the API key's
   * account that lists it, or every account (ANY_ACCOUNT).
   */
  payToTill(input: TillPayment & { account: string | null }): SandboxPayment {
    if (this.closed) {
      throw new SandboxError(503, "The sandbox is closed")
    }
    const phone = checkPushPhone("lipia", typeof input.phone === "string" ? input.phone.replace(/[\s\-.()]/g, "") : input.phone)
    if (!phone.ok) {
      throw new SandboxError(400, "phone must be a Safaricom number, e.g. 0712345678 or 254712345678")
    }
    if (!Number.isSafeInteger(input.amount) || input.amount < 1) {
      throw new SandboxError(400, "amount must be a whole number of KES, at least 1")
    }
    const chosen = input.receipt?.trim().toUpperCase()
    if (chosen !== undefined && !RECEIPT.test(chosen)) {
      throw new SandboxError(400, "receipt must be 10 letters and digits, e.g. THK75EOH2Z")
    }
    if (chosen !== undefined && !this.ledger.claimReceipt(chosen)) {
      throw new SandboxError(409, `Receipt ${chosen} is already taken by another payment`)
    }
    const now = input.paidAt ? new Date(input.paidAt) : new Date()
    if (Number.isNaN(now.getTime())) {
      throw new SandboxError(400, "paidAt must be an ISO date")
    }
    const entry = this.ledger.create(
      {
        api: "lipwa",
        channel: "till",
        account: input.account ?? ANY_ACCOUNT,
        phone: phone.msisdn,
        amount: input.amount,
        externalReference: null,
        metadata: {},
        channelId: null,
        callbackUrl: null,
      },
      now,
    )
    const p = entry.payment
    p.status = "success"
    p.outcome = "success"
    p.resultCode = OUTCOMES.success.resultCode
    p.resultDesc = OUTCOMES.success.resultDesc
    p.receipt = chosen ?? this.ledger.newReceipt(now)
    p.amountPaid = input.amount
    p.settledAt = now.toISOString()
    p.transactionType = input.type ?? "Credit"
    this.ledger.markSettled(entry)
    this.options.log(`lipwa till payment ${maskPhone(p.phone)} KES ${p.amount}: receipt ${p.receipt}`)
    return snapshot(p)
  }

  /** Settles a pending prompt, then delivers its callback(s); resolves when delivery is over. */
  async settle(ref: string, outcome: Outcome, opts: SettleOptions = {}): Promise<SandboxPayment> {
    if (this.closed) {
      throw new SandboxError(503, "The sandbox is closed")
    }
    const entry = this.ledger.find(ref)
    if (!entry) {
      throw new SandboxError(404, `No payment with reference ${ref}`)
    }
    const p = entry.payment
    if (p.status !== "pending") {
      throw new SandboxError(409, `Payment ${p.ref} is already settled (${p.outcome})`)
    }
    const result = OUTCOMES[outcome]
    if (!result) {
      throw new SandboxError(400, `Unknown outcome ${String(outcome)}`)
    }
    if (opts.amount !== undefined && (!result.paid || !Number.isSafeInteger(opts.amount) || opts.amount < 0)) {
      throw new SandboxError(400, "amount applies only to success or underpaid, as a whole number of KES")
    }
    // Everything below up to the first await runs at once, so a concurrent second settle sees 409.
    this.timers.cancel(this.autoSettle.get(entry))
    this.autoSettle.delete(entry)
    const now = new Date()
    p.status = result.paid ? "success" : "failed"
    p.outcome = outcome
    p.resultCode = result.resultCode
    p.resultDesc = result.resultDesc
    p.autoSettleAt = null
    p.settledAt = now.toISOString()
    p.callback = opts.callback ?? "send"
    if (result.paid) {
      p.receipt = this.ledger.newReceipt(now)
      p.amountPaid = opts.amount ?? (outcome === "underpaid" ? underpaidAmount(p.amount) : p.amount)
    }
    this.ledger.markSettled(entry)
    this.options.log(
      `${p.api} settled ${p.ref}: ${outcome} (ResultCode ${p.resultCode})` +
        (p.receipt ? ` receipt ${p.receipt} KES ${p.amountPaid}` : "") +
        (p.callback === "send" ? "" : `, callback ${p.callback}`),
    )
    if (p.callbackUrl && p.callback !== "lost") {
      const times = p.callback === "duplicate" ? 2 : 1
      for (let i = 0; i < times && !this.closed; i++) {
        await this.deliver(p, p.callbackUrl)
      }
    }
    return snapshot(p)
  }

  /** POSTs a settled payment's callback again (a late or repeated callback). */
  async resendCallback(ref: string, url?: string): Promise<CallbackDelivery> {
    const entry = this.ledger.find(ref)
    if (!entry) {
      throw new SandboxError(404, `No payment with reference ${ref}`)
    }
    const p = entry.payment
    if (p.status === "pending") {
      throw new SandboxError(409, `Payment ${p.ref} is still pending: settle it first`)
    }
    const target = url ?? p.callbackUrl
    if (!target) {
      throw new SandboxError(409, `Payment ${p.ref} was pushed without a callback_url`)
    }
    return this.deliver(p, target)
  }

  reset(): void {
    for (const handle of this.autoSettle.values()) {
      this.timers.cancel(handle)
    }
    this.autoSettle.clear()
    this.ledger.clear()
  }

  close(): void {
    this.closed = true
    this.autoSettle.clear()
  }

  private deliver(p: SandboxPayment, url: string): Promise<CallbackDelivery> {
    const body = p.api === "lipia" ? lipiaCallbackBody(p) : lipwaCallbackBody(p)
    return this.sender.deliver(snapshot(p), url, body)
  }

  /** How the prompt ends by itself, or null when it waits for a human. */
  private plan(p: SandboxPayment): { outcome: Outcome; callback: SettleOptions["callback"] } | null {
    if (p.magic) {
      // Magic numbers settle by themselves even in manual mode — except …010, which never does.
      return p.magic.outcome ? { outcome: p.magic.outcome, callback: p.magic.callback } : null
    }
    return this.options.manual ? null : { outcome: "success", callback: "send" }
  }
}
