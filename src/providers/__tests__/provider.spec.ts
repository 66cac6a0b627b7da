import { MedusaError } from "@medusajs/framework/utils"

import { startSandbox, type Sandbox } from "../../sandbox"
import { verifyCallbackSignature } from "../../lib/callback-url"
import { LipiaMpesaService } from "../lipia/service"
import { LipwaMpesaService } from "../lipwa/service"
import type { MpesaProviderOptions } from "../options"

/**
 * The providers' hooks called directly, against the sandbox over real HTTP. The same hooks
 * driven by a real Medusa store are in integration-tests/http.
 */
const secret = "integration-secret-integration-secret"
const silent = { info: () => {}, warn: () => {}, error: () => {} }
const KEY = "provider-spec-api-key-1234567890"

describe("M-Pesa providers", () => {
  let sandbox: Sandbox

  beforeAll(async () => {
    sandbox = await startSandbox({ approveDelayMs: 20 })
  })
  afterAll(() => sandbox.close())
  beforeEach(() => sandbox.reset())

  function lipia(options: Partial<MpesaProviderOptions> = {}) {
    return new LipiaMpesaService({ logger: silent }, {
      apiKey: KEY,
      baseUrl: sandbox.lipiaBaseUrl,
      callbackBaseUrl: "https://shop.example.co.ke",
      callbackSecret: secret,
      ...options,
    })
  }
  function lipwa(options: Partial<MpesaProviderOptions> = {}) {
    return new LipwaMpesaService({ logger: silent }, {
      apiKey: KEY,
      channelId: "CH_1",
      baseUrl: sandbox.lipwaBaseUrl,
      callbackBaseUrl: "https://shop.example.co.ke",
      callbackSecret: secret,
      ...options,
    })
  }
  const initiate = (provider: LipiaMpesaService | LipwaMpesaService, data: Record<string, unknown>, amount: unknown = 100, currency_code = "kes") =>
    provider.initiatePayment({ amount: amount as number, currency_code, data: { session_id: "payses_01", ...data }, context: {} })

  const settled = (reference: string) => sandbox.waitFor(() => sandbox.payment(reference)?.status !== "pending")

  describe("initiatePayment", () => {
    it("sends one STK push with a signed per-session callback URL and returns pending", async () => {
      const result = await initiate(lipia(), { phone_number: "0712 345 678" })

      expect(result.status).toBe("pending")
      const [push] = sandbox.payments()
      expect(push).toMatchObject({ phone: "254712345678", amount: 100, externalReference: "payses_01" })
      const url = new URL(push.callbackUrl!)
      expect(url.origin + url.pathname).toBe("https://shop.example.co.ke/hooks/mpesa/lipia")
      expect(
        verifyCallbackSignature({ secret, gateway: "lipia", id: url.searchParams.get("session_id"), sig: url.searchParams.get("sig") })
      ).toBe(true)
    })

    it("names the ledger's attempt in the callback URL when the plugin's route started the payment", async () => {
      await initiate(lipia(), { phone_number: "0712345678", attempt_id: "mpatt_01" })

      const url = new URL(sandbox.payments()[0].callbackUrl!)
      expect(url.searchParams.get("attempt_id")).toBe("mpatt_01")
      expect(url.searchParams.has("session_id")).toBe(false)
      expect(verifyCallbackSignature({ secret, gateway: "lipia", id: "mpatt_01", sig: url.searchParams.get("sig") })).toBe(true)
    })

    it("hands Medusa no key the caller sent beyond its own (each is cleared, so Medusa's merge drops it)", async () => {
      const result = await initiate(lipia(), { phone_number: "0712345678", refund_request: { requested_at: "x" }, receipt: "PLANTED", hold: true, state: "paid" })

      expect(result.data).toMatchObject({ state: "pending", refund_request: undefined, receipt: undefined, hold: undefined })
      expect(JSON.parse(JSON.stringify({ ...{ receipt: "PLANTED", hold: true }, ...result.data }))).not.toHaveProperty("receipt")
    })

    it("stores only what a storefront may read: masked phone, references, amounts, state", async () => {
      const result = await initiate(lipwa(), { phone_number: "0712345678" }, 250)

      expect(result.data).toMatchObject({
        session_id: "payses_01",
        gateway: "lipwa",
        phone: "2547******78",
        phone_number: "2547******78",
        amount_requested: 250,
        currency_code: "kes",
        state: "pending",
        message: expect.stringMatching(/Check your phone/),
      })
      expect(result.data!.reference).toBe(result.data!.callback_reference)
      const stored = JSON.stringify(result.data)
      expect(stored).not.toContain(KEY)
      expect(stored).not.toContain(secret)
      expect(stored).not.toContain("254712345678")
    })

    it("pushes to the number the start-payment step sealed for the attempt, and hands Medusa back only the masked one", async () => {
      const provider = lipwa()
      const phone_sealed = provider.access.sealPhone("254712345678", "mpatt_01")

      const result = await initiate(provider, { phone_sealed, attempt_id: "mpatt_01" })

      expect(sandbox.payments()[0].phone).toBe("254712345678")
      expect(result.data).toMatchObject({ phone: "2547******78", phone_number: "2547******78", phone_sealed: undefined })
      // Medusa stores { ...the data it was given, ...what the provider returned }.
      expect(JSON.stringify({ phone_sealed, attempt_id: "mpatt_01", ...result.data })).not.toMatch(/712345678|mpseal/)
    })

    /** One character of the ciphertext changed (every one of its characters carries six bits). */
    const altered = (sealed: string) => {
      const at = sealed.lastIndexOf(".") - 1
      return sealed.slice(0, at) + (sealed[at] === "A" ? "B" : "A") + sealed.slice(at + 1)
    }

    it.each([
      ["for another attempt", () => lipia().access.sealPhone("254712345678", "mpatt_02")],
      ["under another callback secret", () => lipia({ callbackSecret: `${secret}-other` }).access.sealPhone("254712345678", "mpatt_01")],
      ["and altered", () => altered(lipia().access.sealPhone("254712345678", "mpatt_01"))],
    ])("refuses a number sealed %s, sends nothing, and takes no number in clear instead", async (_case, seal) => {
      const error = await initiate(lipia(), { phone_sealed: seal(), phone_number: "0700000000", attempt_id: "mpatt_01" }).catch((e) => e)

      expect(error).toMatchObject({ type: MedusaError.Types.INVALID_DATA, code: "MPESA_INVALID_PHONE" })
      expect(sandbox.requests()).toHaveLength(0)
    })

    it.each([
      ["data.phone", { phone: "0712345678" }, {}],
      ["the customer's phone", {}, { customer: { id: "cus_1", email: "a@b.co", phone: "+254712345678" } }],
    ])("takes the phone from %s", async (_case, data, context) => {
      await lipia().initiatePayment({ amount: 10, currency_code: "kes", data: { session_id: "payses_2", ...data }, context })

      expect(sandbox.payments()[0].phone).toBe("254712345678")
    })

    it.each([
      ["no phone", {}, 100, "kes", "MPESA_MISSING_PHONE"],
      ["an invalid phone", { phone_number: "12345" }, 100, "kes", "MPESA_INVALID_PHONE"],
      ["an Airtel phone", { phone_number: "0733123456" }, 100, "kes", "MPESA_NOT_SAFARICOM"],
      ["euros", { phone_number: "0712345678" }, 100, "eur", "MPESA_UNSUPPORTED_CURRENCY"],
      ["more than the ceiling", { phone_number: "0712345678" }, 250001, "kes", "MPESA_AMOUNT_TOO_LARGE"],
      ["zero", { phone_number: "0712345678" }, 0, "kes", "MPESA_INVALID_AMOUNT"],
    ])("refuses %s with a 400-type error and sends nothing", async (_case, data, amount, currency, code) => {
      const error = await initiate(lipia(), data, amount, currency).catch((e) => e)

      expect(MedusaError.isMedusaError(error)).toBe(true)
      expect(error).toMatchObject({ type: MedusaError.Types.INVALID_DATA, code })
      expect(sandbox.requests()).toHaveLength(0)
    })

    it("refuses less than KES 10 on Lipwa", async () => {
      await expect(initiate(lipwa(), { phone_number: "0712345678" }, 9)).rejects.toMatchObject({ code: "MPESA_AMOUNT_TOO_SMALL" })
      expect(sandbox.requests()).toHaveLength(0)
    })

    it("rounds a fractional total up by default and remembers the total it rounded", async () => {
      const result = await initiate(lipia(), { phone_number: "0712345678" }, 99.5)

      expect(sandbox.payments()[0].amount).toBe(100)
      expect(result.data).toMatchObject({ amount_requested: 100, amount_due: 99.5 })
    })

    it("refuses a fractional total when amountRounding is reject", async () => {
      await expect(initiate(lipia({ amountRounding: "reject" }), { phone_number: "0712345678" }, 99.5)).rejects.toMatchObject({
        code: "MPESA_FRACTIONAL_AMOUNT",
      })
    })

    it("reads Medusa's BigNumber shapes", async () => {
      await initiate(lipia(), { phone_number: "0712345678" }, { value: "120", precision: 20 })
      expect(sandbox.payments()[0].amount).toBe(120)
    })

    it("tells the shopper M-Pesa is unavailable when the key is refused, and logs the merchant's reason", async () => {
      const errors: string[] = []
      const locked = await startSandbox({ lipiaApiKeys: ["another-key"] })
      try {
        const provider = new LipiaMpesaService(
          { logger: { ...silent, error: (line: string) => errors.push(line) } },
          { apiKey: KEY, baseUrl: locked.lipiaBaseUrl, callbackBaseUrl: "https://x.co", callbackSecret: secret }
        )
        const error = await initiate(provider, { phone_number: "0712345678" }).catch((e) => e)

        expect(error).toMatchObject({ code: "MPESA_UNAVAILABLE", message: expect.stringMatching(/not available right now/) })
        expect(errors.join("\n")).toMatch(/apiKey option/)
        expect(errors.join("\n")).not.toContain(KEY)
        expect(errors.join("\n")).not.toContain("254712345678")
      } finally {
        await locked.close()
      }
    })

    it("keeps the session, marked unconfirmed, when it cannot tell whether the prompt was sent (never sent twice)", async () => {
      sandbox.injectFault({ api: "lipia", mode: "reset" })

      const result = await initiate(lipia(), { phone_number: "0712345678", attempt_id: "mpatt_01" })

      expect(result.status).toBe("pending")
      expect(result.data).toMatchObject({ state: "pushing", push_unconfirmed: true, callback_reference: "payses_01", message: expect.stringMatching(/may still appear/) })
      expect(result.data).not.toHaveProperty("reference")
      expect(sandbox.requests().filter((r) => r.api === "lipia")).toHaveLength(1)
      // Authorizing it asks nothing: there is no reference to ask about.
      expect((await lipia().authorizePayment({ data: result.data })).status).toBe("pending")
      expect(sandbox.requests().filter((r) => r.api === "lipia")).toHaveLength(1)
    })
  })

  describe("a payment the merchant recorded by its receipt", () => {
    const ATTEMPT = "mpatt_recorded01"
    const recordedData = (provider: LipiaMpesaService | LipwaMpesaService, sig = provider.access.signRecordedPayment(ATTEMPT)) => ({
      attempt_id: ATTEMPT,
      recorded_sig: sig,
    })

    it("opens the session without sending any prompt when the plugin signed the attempt", async () => {
      const provider = lipwa()

      const result = await initiate(provider, recordedData(provider), 1050)

      expect(result).toMatchObject({ id: ATTEMPT, status: "pending" })
      expect(result.data).toMatchObject({ recorded: true, attempt_id: ATTEMPT, reference: ATTEMPT, gateway: "lipwa", amount_requested: 1050, state: "pending" })
      expect(sandbox.requests()).toEqual([])
    })

    it("hands the storefront no signature: it is dropped from the session data", async () => {
      const provider = lipia()

      const result = await initiate(provider, recordedData(provider))

      expect(result.data).toMatchObject({ recorded_sig: undefined })
      expect(JSON.stringify(result.data)).not.toContain(provider.access.signRecordedPayment(ATTEMPT))
    })

    it("authorizes only what the ledger's verdict says once mirrored in, never the opening itself", async () => {
      const provider = lipwa()
      const { data } = await initiate(provider, recordedData(provider), 1050)

      expect((await provider.authorizePayment({ data })).status).toBe("pending")
      expect((await provider.authorizePayment({ data: { ...data, state: "paid", receipt: "THK75EOH2Z", amount_paid: 1050 } })).status).toBe("captured")
    })

    it.each([
      ["unsigned", () => undefined],
      ["signed for another attempt", () => lipwa().access.signRecordedPayment("mpatt_other")],
      ["signed with another store's secret", () => lipwa({ callbackSecret: "another-store-secret-another-store-secret" }).access.signRecordedPayment(ATTEMPT)],
      ["signed for the other gateway", () => lipia().access.signRecordedPayment(ATTEMPT)],
      ["a malformed signature", () => "recorded"],
    ])("treats %s data as a storefront's: an ordinary STK push", async (_case, sig) => {
      const result = await initiate(lipwa(), { attempt_id: ATTEMPT, recorded_sig: sig(), phone_number: "0712345678" })

      expect(sandbox.payments()).toHaveLength(1)
      expect(result.data).toMatchObject({ state: "pending", recorded_sig: undefined })
      expect(result.data).not.toHaveProperty("recorded")
    })

    it("refuses an unsigned claim without a phone like any push without one, and sends nothing", async () => {
      await expect(initiate(lipwa(), { attempt_id: ATTEMPT, recorded: true })).rejects.toMatchObject({ code: "MPESA_MISSING_PHONE" })
      expect(sandbox.requests()).toEqual([])
    })

    it("still takes Kenyan shillings only", async () => {
      const provider = lipia()

      await expect(initiate(provider, recordedData(provider), 100, "usd")).rejects.toMatchObject({ code: "MPESA_UNSUPPORTED_CURRENCY" })
    })
  })

  describe("authorizePayment", () => {
    const recorded = (state: string, extra: Record<string, unknown> = {}) => ({
      session_id: "payses_01",
      gateway: "lipia",
      reference: "ref_01",
      callback_reference: "payses_01",
      amount_requested: 100,
      state,
      ...extra,
    })

    it.each([
      // the verdict the plugin recorded in the session (from the ledger) → Medusa's status
      ["paid", "captured"],
      ["amount_mismatch", "requires_more"],
      ["failed", "error"],
      ["expired", "error"],
      ["not_sent", "error"],
      ["pending", "pending"],
    ] as const)("a session recorded %s is %s — read from the session, the gateway never asked", async (state, status) => {
      const data = recorded(state, state === "paid" ? { receipt: "NEF61H8J60", amount_paid: 100 } : {})

      const result = await lipia().authorizePayment({ data })

      expect(result).toEqual({ status, data })
      expect(sandbox.requests()).toHaveLength(0)
    })

    it("asks the gateway nothing however often the storefront completes the cart", async () => {
      const provider = lipwa()
      const { data } = await initiate(provider, { phone_number: "0700000000" }, 100)
      await settled(String(data!.reference))
      const before = sandbox.requests().length

      for (let i = 0; i < 20; i++) {
        expect((await provider.authorizePayment({ data })).status).toBe("pending")
      }
      expect(sandbox.requests()).toHaveLength(before)
    })

    it("never authorizes a payment held for the merchant", async () => {
      expect((await lipia().authorizePayment({ data: recorded("paid", { hold: true }) })).status).toBe("requires_more")
    })

    it("refuses a session that never pushed", async () => {
      expect((await lipia().authorizePayment({ data: { session_id: "payses_x" } })).status).toBe("error")
    })
  })

  describe("the other hooks", () => {
    it("capturePayment returns the data unchanged, however often it is called", async () => {
      const data = { reference: "r", state: "paid" }
      expect(await lipia().capturePayment({ data })).toEqual({ data })
      expect(await lipia().capturePayment({ data })).toEqual({ data })
    })

    it("cancelPayment and deletePayment note the cancellation but keep the attempt payable (a prompt cannot be withdrawn)", async () => {
      const provider = lipia()
      const { data } = await initiate(provider, { phone_number: "0700000010" })

      expect((await provider.cancelPayment({ data })).data).toMatchObject({ state: "pending", canceled_at: expect.any(String) })
      expect((await provider.deletePayment({ data: { ...data, state: "paid" } })).data).toMatchObject({ state: "paid" })
    })

    const asked = () => ({ refund_request: { requested_at: new Date().toISOString(), requested_by: "user_1" } })

    it("refundPayment refuses a refund the merchant asked for and tells them to reverse in the M-Pesa portal", async () => {
      const error = await lipwa()
        .refundPayment({ amount: { value: "1700", precision: 20 } as never, data: { reference: "r", amount_requested: 1700, gateway: "lipwa", receipt: "NEF61H8J60", ...asked() } })
        .catch((e) => e)

      expect(error).toMatchObject({ type: MedusaError.Types.NOT_ALLOWED, code: "MPESA_REFUND_NOT_SUPPORTED" })
      expect(error.message).toMatch(/M-Pesa portal/)
      expect(error.message).toContain("KES 1,700")
      expect(error.message).toContain("NEF61H8J60")
      // A shop owner reads this: it points to the README's section, not to a provider option.
      expect(error.message).toContain(`see "Refunds" in the M-Pesa plugin's README`)
      expect(error.message).not.toMatch(/manualRefunds|mpesa-lipwa/)
    })

    it("refundPayment records a manual refund the merchant asked for when manualRefunds is on, once per request", async () => {
      const data = { reference: "r", amount_requested: 100, gateway: "lipia", ...asked() }
      const first = await lipia({ manualRefunds: true }).refundPayment({ amount: 40, data, context: { idempotency_key: "ref_1" } })
      const second = await lipia({ manualRefunds: true }).refundPayment({ amount: 60, data: { ...first.data, ...asked() }, context: { idempotency_key: "ref_2" } })

      expect(first.data!.refund_request).toBeUndefined()
      expect(second.data!.refunds).toEqual([
        expect.objectContaining({ amount: 40, refund_id: "ref_1", requested_by: "user_1" }),
        expect.objectContaining({ amount: 60, refund_id: "ref_2" }),
      ])
    })

    it.each([true, false])("refundPayment refuses a refund nobody asked for (Medusa's own compensation), manualRefunds %p", async (manualRefunds) => {
      const stale = { refund_request: { requested_at: new Date(Date.now() - 11 * 60_000).toISOString() } }
      // Dated in the future: never "just asked", however long it waits.
      const future = { refund_request: { requested_at: new Date(Date.now() + 60 * 60_000).toISOString() } }
      for (const data of [
        { reference: "r", amount_requested: 100, gateway: "lipia", receipt: "NEF61H8J60" },
        { reference: "r", amount_requested: 100, gateway: "lipia", ...stale },
        { reference: "r", amount_requested: 100, gateway: "lipia", ...future },
      ]) {
        const error = await lipia({ manualRefunds }).refundPayment({ amount: 100, data, context: { idempotency_key: "ref_1" } }).catch((e) => e)

        expect(error).toMatchObject({ type: MedusaError.Types.NOT_ALLOWED, code: "MPESA_REFUND_NOT_REQUESTED" })
      }
    })

    it("getPaymentStatus and retrievePayment report the verdict recorded in the session", async () => {
      const data = { session_id: "payses_01", gateway: "lipwa", reference: "r", callback_reference: "r", amount_requested: 100, state: "paid", amount_paid: 100 }

      expect((await lipwa().getPaymentStatus({ data })).status).toBe("captured")
      expect((await lipwa().retrievePayment({ data })).data).toEqual(data)
      expect(sandbox.requests()).toHaveLength(0)
    })

    it("updatePayment keeps the session when the amount did not change", async () => {
      const provider = lipia()
      const { data } = await initiate(provider, { phone_number: "0700000010" }, 100)

      const result = await provider.updatePayment({ amount: 100, currency_code: "kes", data })

      expect(result.data).toEqual(data)
      expect(sandbox.payments()).toHaveLength(1)
    })

    it("updatePayment refuses a new amount while the prompt is live on the phone", async () => {
      const provider = lipia()
      const { data } = await initiate(provider, { phone_number: "0700000010" }, 100)

      await expect(provider.updatePayment({ amount: 150, currency_code: "kes", data })).rejects.toMatchObject({
        code: "MPESA_PAYMENT_IN_PROGRESS",
      })
      expect(sandbox.payments()).toHaveLength(1)
    })

    it("updatePayment pushes again for a new amount once the prompt has failed, with the number re-supplied", async () => {
      const provider = lipia()
      const { data } = await initiate(provider, { phone_number: "0700000001" }, 100)
      await settled(String(data!.reference))
      // As the plugin records a failure in the session.
      const failed = { ...data, state: "failed" }

      await expect(provider.updatePayment({ amount: 150, currency_code: "kes", data: failed })).rejects.toMatchObject({
        code: "MPESA_INVALID_PHONE",
      })
      const again = await provider.updatePayment({ amount: 150, currency_code: "kes", data: { ...failed, phone_number: "0700000000" } })

      expect(again.status).toBe("pending")
      expect(again.data).toMatchObject({ amount_requested: 150, state: "pending" })
      expect(sandbox.payments()).toHaveLength(2)
    })
  })
})
