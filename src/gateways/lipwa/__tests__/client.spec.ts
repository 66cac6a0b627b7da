import { startSandbox, type Sandbox } from "../../../sandbox"
import { GatewayError } from "../../errors"
import { exposed, startCallbackReceiver, type CallbackReceiver } from "../../__tests__/support/callback-receiver"
import type { RequestLimiter } from "../../rate-limit"
import { LipwaClient, type LipwaClientOptions } from "../client"

const API_KEY = "lipwa_test_key_0a1b2c3d4e5f"
const CHANNEL = "CH_TEST0001"
const NEVER_SETTLES = "0700000010"
const noLimit: RequestLimiter = { acquire: async () => {} }

describe("LipwaClient against the sandbox", () => {
  let sandbox: Sandbox
  let receiver: CallbackReceiver
  let client: LipwaClient

  beforeAll(async () => {
    sandbox = await startSandbox({ lipwaApiKeys: [API_KEY], lipwaChannels: [CHANNEL], approveDelayMs: 50 })
    receiver = await startCallbackReceiver()
  })

  afterAll(async () => {
    await sandbox.close()
    await receiver.close()
  })

  beforeEach(() => {
    sandbox.reset()
    receiver.bodies.length = 0
    client = make({})
  })

  function make(options: Partial<LipwaClientOptions>) {
    return new LipwaClient({
      apiKey: API_KEY,
      channelId: CHANNEL,
      baseUrl: sandbox.lipwaBaseUrl,
      timeoutMs: 2_000,
      retryBaseDelayMs: 10,
      ...options,
    })
  }

  const push = (phone: string, amount = 100, reference = "payses_01LIPWA") =>
    client.pushStk({ phone, amount, reference, callbackUrl: receiver.url })

  describe("pushStk", () => {
    it("sends one STK push with channel_id and api_ref and returns the CheckoutRequestID", async () => {
      const result = await push(NEVER_SETTLES, 150)

      expect(result.reference).toMatch(/^ws_CO_\d{14}\d+$/)
      expect(result).toMatchObject({ gateway: "lipwa", checkoutId: result.reference, callbackReference: result.reference })
      const pushes = sandbox.requests().filter((r) => r.api === "lipwa" && r.method === "POST")
      expect(pushes).toHaveLength(1)
      expect(pushes[0].path).toBe("/lipwa/api/payments")
      expect(pushes[0].status).toBe(201)
      expect(pushes[0].body).toEqual({
        amount: 150,
        phone_number: "254700000010",
        channel_id: CHANNEL,
        callback_url: receiver.url,
        api_ref: "payses_01LIPWA",
      })
    })

    it.each([
      ["an amount below Lipwa's minimum of 10", "0712345678", 9, "amount"],
      ["a fractional amount", "0712345678", 10.5, "amount"],
      ["an invalid phone", "12345", 100, "phone_number"],
    ])("refuses %s before sending anything", async (_case, phone, amount, field) => {
      const error = await push(phone, amount).catch((e) => e)

      expect(error).toBeInstanceOf(GatewayError)
      expect(error).toMatchObject({ kind: "validation", field, reached: "no" })
      expect(sandbox.requests()).toHaveLength(0)
    })

    it("reports a channel Lipwa does not know as a validation error with Lipwa's message", async () => {
      const error = await make({ channelId: "CH_UNKNOWN" })
        .pushStk({ phone: "0712345678", amount: 10, reference: "payses_1" })
        .catch((e) => e)

      expect(error).toMatchObject({ kind: "validation", httpStatus: 400 })
      expect(error.message).toMatch(/channel/i)
    })

    it("reports a refused API key as an auth error that never contains the key", async () => {
      const wrongKey = "lipwa_wrong_key_987654"
      const error = await make({ apiKey: wrongKey })
        .pushStk({ phone: "0712345678", amount: 10, reference: "payses_1" })
        .catch((e) => e)

      expect(error).toMatchObject({ kind: "auth", httpStatus: 401 })
      expect(exposed(error)).not.toContain(wrongKey)
    })

    it("does not retry a push that timed out", async () => {
      sandbox.injectFault({ api: "lipwa", path: "/payments", mode: "delay", delayMs: 800, times: 1 })

      const error = await make({ timeoutMs: 200 })
        .pushStk({ phone: "0712345678", amount: 10, reference: "payses_t" })
        .catch((e) => e)

      expect(error).toMatchObject({ kind: "unavailable", reached: "unknown" })
      await sandbox.waitFor(() => sandbox.requests().some((r) => r.api === "lipwa"))
      expect(sandbox.requests().filter((r) => r.api === "lipwa")).toHaveLength(1)
    })

    it("reports a malformed 201 body as an unexpected payload", async () => {
      sandbox.injectFault({ api: "lipwa", path: "/payments", mode: "malformed_json", times: 1 })

      await expect(push("0712345678")).rejects.toMatchObject({ kind: "unexpected_payload" })
    })
  })

  describe("getStatus", () => {
    it("reports a queued payment as pending", async () => {
      const { reference } = await push(NEVER_SETTLES)

      expect(await client.getStatus(reference)).toMatchObject({
        gateway: "lipwa",
        found: true,
        state: "pending",
        amount: 100,
        externalReference: "payses_01LIPWA",
      })
    })

    it("reports a paid payment with its receipt and the string amount read as a number", async () => {
      const { reference } = await push("0700000000", 340)
      await sandbox.waitFor(() => sandbox.payment(reference)?.status !== "pending")

      const status = await client.getStatus(reference)

      expect(status).toMatchObject({ state: "paid", amount: 340, outcome: "paid" })
      expect(status.receipt).toMatch(/^[A-Z][A-Z0-9]{9}$/)
      expect(status.settledAt).toMatch(/\+03:00$/)
    })

    it.each(["0700000001", "0700000002", "0700000003", "0700000004"])(
      "reports %s as failed, with no result code (Lipwa gives none)",
      async (phone) => {
        const { reference } = await push(phone)
        await sandbox.waitFor(() => sandbox.payment(reference)?.status !== "pending")

        const status = await client.getStatus(reference)

        expect(status).toMatchObject({ state: "failed", outcome: "failed" })
        expect(status.resultCode).toBeUndefined()
        expect(status.receipt).toBeUndefined()
      }
    )

    it("reports an underpayment as paid for the smaller amount", async () => {
      const { reference } = await push("0700000007", 100)
      await sandbox.waitFor(() => sandbox.payment(reference)?.status !== "pending")

      expect(await client.getStatus(reference)).toMatchObject({ state: "paid", amount: 50 })
    })

    it("reports an unknown reference as pending and not found", async () => {
      expect(await client.getStatus("ws_CO_000000000000000000")).toMatchObject({ state: "pending", found: false })
    })

    it("retries a status call after a 500", async () => {
      const { reference } = await push(NEVER_SETTLES)
      sandbox.injectFault({ api: "lipwa", path: "/status", mode: "http_500", times: 1 })

      expect((await client.getStatus(reference)).state).toBe("pending")
      expect(sandbox.requests().filter((r) => r.path === "/lipwa/api/status").map((r) => r.status)).toEqual([500, 200])
    })
  })

  describe("rate limiting", () => {
    it("keeps a burst of 25 status calls at or under 10 per second, so Lipwa never answers 429", async () => {
      const { reference } = await push(NEVER_SETTLES)

      const results = await Promise.all(Array.from({ length: 25 }, () => client.getStatus(reference)))

      expect(results.every((r) => r.state === "pending")).toBe(true)
      const calls = sandbox.requests().filter((r) => r.api === "lipwa")
      expect(calls.some((r) => r.status === 429)).toBe(false)
      // In any window of one second, at most 10 requests were received.
      const times = calls.map((r) => new Date(r.at).getTime()).sort((a, b) => a - b)
      for (let i = 10; i < times.length; i++) {
        expect(times[i] - times[i - 10]).toBeGreaterThanOrEqual(1000)
      }
    })

    it("shares one budget between clients built for the same API key", async () => {
      const other = make({})
      const { reference } = await push(NEVER_SETTLES)

      await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? client : other).getStatus(reference)))

      expect(sandbox.requests().some((r) => r.status === 429)).toBe(false)
    })

    it("backs off and retries when Lipwa answers 429, until every call succeeds", async () => {
      const unpaced = make({ limiter: noLimit, retries: 6, retryBaseDelayMs: 100 })
      const { reference } = await push(NEVER_SETTLES)

      const results = await Promise.all(Array.from({ length: 15 }, () => unpaced.getStatus(reference)))

      expect(results).toHaveLength(15)
      expect(results.every((r) => r.state === "pending")).toBe(true)
      expect(sandbox.requests().filter((r) => r.status === 429).length).toBeGreaterThan(0)
    })

    it("reports rate_limited once the retries are spent", async () => {
      const unpaced = make({ limiter: noLimit, retries: 0 })
      const { reference } = await push(NEVER_SETTLES)

      const outcomes = await Promise.allSettled(Array.from({ length: 15 }, () => unpaced.getStatus(reference)))
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected")

      expect(rejected.length).toBeGreaterThan(0)
      expect(rejected[0].reason).toMatchObject({ kind: "rate_limited", httpStatus: 429, code: "MPESA_GATEWAY_RATE_LIMITED" })
    })
  })

  describe("listTransactions", () => {
    it("lists settled payments newest first, honouring the limit", async () => {
      const first = await push("0700000000", 100, "payses_A")
      await sandbox.waitFor(() => sandbox.payment(first.reference)?.status === "success")
      const second = await push("0700000000", 200, "payses_B")
      await sandbox.waitFor(() => sandbox.payment(second.reference)?.status === "success")

      const all = await client.listTransactions()
      const latest = await client.listTransactions(1)

      expect(all.map((t) => t.reference)).toEqual([second.reference, first.reference])
      expect(all[0]).toMatchObject({ amount: 200, type: "Credit", phone: "254700000000" })
      expect(all[0].receipt).toMatch(/^[A-Z][A-Z0-9]{9}$/)
      expect(latest.map((t) => t.reference)).toEqual([second.reference])
    })
  })

  describe("parseCallback", () => {
    it("reads a success callback as paid, keyed by checkout_id", async () => {
      const { reference } = await push("0700000000", 120)
      await sandbox.waitFor(() => receiver.bodies.length === 1)

      const callback = client.parseCallback(receiver.bodies[0])

      expect(callback).toMatchObject({
        gateway: "lipwa",
        reference,
        checkoutId: reference,
        state: "paid",
        amount: 120,
        externalReference: "payses_01LIPWA",
      })
      expect(callback.receipt).toMatch(/^[A-Z][A-Z0-9]{9}$/)
      expect(callback.transactionId).toBe(`TR_${callback.receipt}`)
    })

    it("reads a failed callback (mpesa_code null) as failed", async () => {
      await push("0700000001")
      await sandbox.waitFor(() => receiver.bodies.length === 1)

      expect(client.parseCallback(receiver.bodies[0])).toMatchObject({ state: "failed", receipt: undefined })
    })

    it.each([
      ["a queued status", { status: "payment.queued", checkout_id: "ws_CO_1", amount: 10 }],
      ["no checkout_id", { status: "payment.success", amount: 10, mpesa_code: "ABC" }],
      ["a non-numeric amount", { status: "payment.success", checkout_id: "ws_CO_1", amount: "ten" }],
      ["an array", []],
    ])("rejects a callback with %s", (_case, body) => {
      expect(() => client.parseCallback(body)).toThrow(expect.objectContaining({ kind: "unexpected_payload" }))
    })
  })

  it("refuses to build a client without a channel", () => {
    expect(() => make({ channelId: "" })).toThrow(/channelId option/)
  })
})
