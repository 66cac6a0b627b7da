/**
 * The in-memory payments: one entry per accepted STK push, in the order they were made.
 * Only data lives here; timers and callbacks are the simulator's business.
 */
import { checkoutRequestId, lipiaTransactionReference, merchantRequestId, mpesaReceipt } from "./ids"
import { magicBehaviour } from "./magic-numbers"
import { maskPhone } from "./mask-phone"
import type { Api, PaymentChannel, SandboxPayment } from "./types"

export interface LedgerEntry {
  payment: SandboxPayment
  /**
   * Which API key made the push (a hash, never the key). Sandbox choice: each key is its own
   * account, so the status and transactions APIs only see that key's payments.
   */
  account: string
  createdMs: number
  /** Order of settlement, for "newest first" listings. */
  settledSeq: number | null
}

/**
 * The account of a till payment recorded without an API key: every account lists it (sandbox
 * choice, so a test need not know which key the store uses).
 */
export const ANY_ACCOUNT = "*"

export interface NewPayment {
  api: Api
  /** Default "stk_push". */
  channel?: PaymentChannel
  account: string
  phone: string
  amount: number
  externalReference: SandboxPayment["externalReference"]
  metadata: Record<string, unknown>
  channelId: string | null
  callbackUrl: string | null
}

export class Ledger {
  private entries: LedgerEntry[] = []
  private byRef = new Map<string, LedgerEntry>()
  private receipts = new Set<string>()
  private settledCount = 0

  create(input: NewPayment, now: Date): LedgerEntry {
    const checkoutId = this.unique(() => checkoutRequestId(now))
    const ref = input.api === "lipia" ? this.unique(lipiaTransactionReference) : checkoutId
    const payment: SandboxPayment = {
      api: input.api,
      channel: input.channel ?? "stk_push",
      ref,
      checkoutRequestId: checkoutId,
      merchantRequestId: merchantRequestId(),
      phone: input.phone,
      maskedPhone: maskPhone(input.phone),
      amount: input.amount,
      amountPaid: null,
      externalReference: input.externalReference,
      metadata: input.metadata,
      channelId: input.channelId,
      callbackUrl: input.callbackUrl,
      status: "pending",
      outcome: null,
      resultCode: null,
      resultDesc: null,
      receipt: null,
      // A till payment rang no phone: no magic number decides anything about it.
      magic: input.channel === "till" ? null : magicBehaviour(input.phone),
      autoSettleAt: null,
      callback: null,
      createdAt: now.toISOString(),
      settledAt: null,
      transactionType: "Credit",
    }
    const entry: LedgerEntry = { payment, account: input.account, createdMs: now.getTime(), settledSeq: null }
    this.entries.push(entry)
    this.byRef.set(ref, entry)
    this.byRef.set(checkoutId, entry)
    return entry
  }

  /** By TransactionReference / CheckoutRequestID, else the newest payment whose reference string matches. */
  find(ref: string): LedgerEntry | undefined {
    const exact = this.byRef.get(ref)
    if (exact) {
      return exact
    }
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const external = this.entries[i].payment.externalReference
      if ((typeof external === "string" || typeof external === "number") && String(external) === ref) {
        return this.entries[i]
      }
    }
    return undefined
  }

  /** Only by the gateway's own reference — what the gateway's status API would look up. */
  findByGatewayRef(api: Api, ref: string): LedgerEntry | undefined {
    const entry = this.byRef.get(ref)
    return entry && entry.payment.api === api && entry.payment.ref === ref ? entry : undefined
  }

  all(): LedgerEntry[] {
    return [...this.entries]
  }

  markSettled(entry: LedgerEntry): void {
    entry.settledSeq = ++this.settledCount
  }

  /** Takes a receipt the caller chose; false when some payment already has it. */
  claimReceipt(receipt: string): boolean {
    if (this.receipts.has(receipt)) {
      return false
    }
    this.receipts.add(receipt)
    return true
  }

  newReceipt(now: Date): string {
    const receipt = this.unique(() => mpesaReceipt(now), this.receipts)
    this.receipts.add(receipt)
    return receipt
  }

  clear(): void {
    this.entries = []
    this.byRef.clear()
    this.receipts.clear()
    this.settledCount = 0
  }

  private unique(make: () => string, taken: { has(k: string): boolean } = this.byRef): string {
    for (;;) {
      const id = make()
      if (!taken.has(id)) {
        return id
      }
    }
  }
}

/** A deep copy, so callers cannot change the sandbox's state through what they are given. */
export function snapshot(payment: SandboxPayment): SandboxPayment {
  return structuredClone(payment)
}
