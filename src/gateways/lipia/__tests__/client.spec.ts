import { startSandbox, type Sandbox } from "../../../sandbox"
import { GatewayError } from "../../errors"
import { exposed, startCallbackReceiver, type CallbackReceiver } from "../../__tests__/support/callback-receiver"
import { LipiaClient } from "../client"

const API_KEY = "lipia_test_key_9f8e7d6c5b4a"
const NEVER_SETTLES = "0700000010"

describe("LipiaClient against the sandbox", () => {
  let sandbox: Sandbox
  let receiver: CallbackReceiver
  let client: LipiaClient

  beforeAll(async () => {
    sandbox = await startSandbox({ lipiaApiKeys: [API_KEY], approveDelayMs: 50 })
    receiver = await startCallbackReceiver()
  })

  afterAll(async () => {
    await sandbox.close()
    await receiver.close()
  })

  beforeEach(() => {
    sandbox.reset()
    receiver.bodies.length = 0
    client = new LipiaClient({ apiKey: API_KEY, baseUrl: sandbox.lipiaBaseUrl, timeoutMs: 2_000, retryBaseDelayMs: 10 })
  })

  const push = (phone: string, amount = 100, reference = "payses_01TEST") =>
    client.pushStk({ phone, amount, reference, callbackUrl: receiver.url, metadata: { cart_id: "cart_1" } })

  describe("pushStk", () => {
    it("sends one STK push in the documented shape and returns the status reference", async () => {
      const result = await push(NEVER_SETTLES, 150)

      expect(result).toMatchObject({ gateway: "lipia", callbackReference: "payses_01TEST" })
      expect(result.reference).toMatch(/^[0-9a-f]{24}$/)
      const pushes = sandbox.requests().filter((r) => r.api === "lipia" && r.method === "POST")
      expect(pushes).toHaveLength(1)
      expect(pushes[0].path).toBe("/lipia/api/v2/payments/stk-push")
      expect(pushes[0].body).toEqual({
        phone_number: "254700000010",
        amount: 150,
        external_reference: "payses_01TEST",
        callback_url: receiver.url,
        metadata: { cart_id: "cart_1" },
      })
    })

    it.each([
      ["an invalid phone", "0812345678", 100, "phone_number"],
      ["an Airtel phone", "0733123456", 100, "phone_number"],
      ["a fractional amount", "0712345678", 99.5, "amount"],
      ["a zero amount", "0712345678", 0, "amount"],
    ])("refuses %s before sending anything", async (_case, phone, amount, field) => {
      const error = await push(phone, amount).catch((e) => e)

      expect(error).toBeInstanceOf(GatewayError)
      expect(error).toMatchObject({ kind: "validation", field, reached: "no", code: "MPESA_GATEWAY_VALIDATION" })
      expect(sandbox.requests()).toHaveLength(0)
    })

    it("reports Lipia's VALIDATION_ERROR with the field it names", async () => {
      const error = await client
        .pushStk({ phone: "0712345678", amount: 10, reference: "payses_1", callbackUrl: "not a url" })
        .catch((e) => e)

      expect(error).toMatchObject({
        kind: "validation",
        gatewayCode: "VALIDATION_ERROR",
        field: "callback_url",
        httpStatus: 400,
        customerMessage: "Please check your input and try again",
      })
      expect(error.message).toContain("callback_url")
    })

    it("reports a refused API key as an auth error that never contains the key", async () => {
      const wrongKey = "lipia_wrong_key_123456"
      const other = new LipiaClient({ apiKey: wrongKey, baseUrl: sandbox.lipiaBaseUrl })

      const error = await other.pushStk({ phone: "0712345678", amount: 10, reference: "payses_1" }).catch((e) => e)

      expect(error).toMatchObject({ kind: "auth", httpStatus: 401, code: "MPESA_GATEWAY_AUTH" })
      expect(error.message).toMatch(/apiKey option/)
      expect(exposed(error)).not.toContain(wrongKey)
    })

    it("does not retry a push the gateway answered with a 500: the phone may already be ringing", async () => {
      sandbox.injectFault({ api: "lipia", path: "/payments/stk-push", mode: "http_500", times: 1 })

      const error = await push("0712345678").catch((e) => e)

      expect(error).toMatchObject({ kind: "unavailable", reached: "yes", httpStatus: 500 })
      expect(sandbox.requests().filter((r) => r.api === "lipia")).toHaveLength(1)
      expect(sandbox.payments()).toHaveLength(0)
    })

    it("does not retry a push whose connection was reset, and says the prompt may have been sent", async () => {
      sandbox.injectFault({ api: "lipia", path: "/payments/stk-push", mode: "reset", times: 1 })

      const error = await push("0712345678").catch((e) => e)

      expect(error).toMatchObject({ kind: "unavailable", reached: "unknown" })
      expect(error.message).toMatch(/may or may not have been sent/)
      expect(sandbox.requests().filter((r) => r.api === "lipia")).toHaveLength(1)
    })

    it("gives up on a push after timeoutMs without retrying it", async () => {
      sandbox.injectFault({ api: "lipia", path: "/payments/stk-push", mode: "delay", delayMs: 800, times: 1 })
      const impatient = new LipiaClient({ apiKey: API_KEY, baseUrl: sandbox.lipiaBaseUrl, timeoutMs: 200 })

      const error = await impatient.pushStk({ phone: "0712345678", amount: 10, reference: "payses_t" }).catch((e) => e)

      expect(error).toMatchObject({ kind: "unavailable", reached: "unknown" })
      expect(error.message).toMatch(/did not answer in time/)
      await sandbox.waitFor(() => sandbox.requests().some((r) => r.api === "lipia"))
      expect(sandbox.requests().filter((r) => r.api === "lipia")).toHaveLength(1)
    })

    it("retries a push that provably never left (connection refused) and then reports it unreachable", async () => {
      const nowhere = new LipiaClient({ apiKey: API_KEY, baseUrl: "http://127.0.0.1:1/api/v2", retryBaseDelayMs: 1 })

      const error = await nowhere.pushStk({ phone: "0712345678", amount: 10, reference: "payses_x" }).catch((e) => e)

      expect(error).toMatchObject({ kind: "unavailable", reached: "no" })
      expect(error.message).toMatch(/could not be reached \(ECONNREFUSED\)/)
    })

    it("reports a body that is not JSON as an unexpected payload", async () => {
      sandbox.injectFault({ api: "lipia", path: "/payments/stk-push", mode: "malformed_json", times: 1 })

      const error = await push("0712345678").catch((e) => e)

      expect(error).toMatchObject({ kind: "unexpected_payload", code: "MPESA_GATEWAY_UNEXPECTED_RESPONSE" })
      expect(error.message).toMatch(/not JSON/)
    })
  })

  describe("getStatus", () => {
    it("reports a fresh push as pending", async () => {
      const { reference } = await push(NEVER_SETTLES)

      const status = await client.getStatus(reference)

      expect(status).toMatchObject({ gateway: "lipia", reference, found: true, state: "pending", amount: 100 })
      expect(status.receipt).toBeUndefined()
    })

    it("reports a settled payment as paid, with its receipt, amount and echoed reference", async () => {
      const { reference } = await push("0700000000", 250)
      await sandbox.waitFor(() => sandbox.payment(reference)?.status !== "pending")

      const status = await client.getStatus(reference)

      expect(status).toMatchObject({
        state: "paid",
        found: true,
        amount: 250,
        resultCode: 0,
        outcome: "paid",
        externalReference: "payses_01TEST",
        phone: "254700000000",
      })
      expect(status.receipt).toMatch(/^[A-Z][A-Z0-9]{9}$/)
    })

    it.each([
      ["0700000001", 1032, "cancelled"],
      ["0700000002", 1037, "timeout"],
      ["0700000003", 1, "insufficient_funds"],
      ["0700000004", 2001, "wrong_pin"],
      ["0700000008", 1019, "expired"],
      ["0700000009", 1001, "busy"],
    ])("reports %s as failed with result code %p (%s) and a shopper message", async (phone, code, outcome) => {
      const { reference } = await push(phone)
      await sandbox.waitFor(() => sandbox.payment(reference)?.status !== "pending")

      const status = await client.getStatus(reference)

      expect(status).toMatchObject({ state: "failed", resultCode: code, outcome })
      expect(status.receipt).toBeUndefined()
      expect(status.message.length).toBeGreaterThan(20)
    })

    it("reports an underpayment as paid for the smaller amount, so the caller can refuse it", async () => {
      const { reference } = await push("0700000007", 100)
      await sandbox.waitFor(() => sandbox.payment(reference)?.status !== "pending")

      expect(await client.getStatus(reference)).toMatchObject({ state: "paid", amount: 50 })
    })

    it("reports a reference Lipia does not know as pending and not found, never failed", async () => {
      const status = await client.getStatus("0123456789abcdef01234567")

      expect(status).toMatchObject({ state: "pending", found: false })
    })

    it("treats Lipia's 'not found' shortly after a push as pending", async () => {
      const slow = await startSandbox({ lipiaApiKeys: [API_KEY], lipiaNotFoundForMs: 60_000 })
      try {
        const c = new LipiaClient({ apiKey: API_KEY, baseUrl: slow.lipiaBaseUrl })
        const { reference } = await c.pushStk({ phone: NEVER_SETTLES, amount: 10, reference: "payses_nf" })

        expect(await c.getStatus(reference)).toMatchObject({ state: "pending", found: false })
      } finally {
        await slow.close()
      }
    })

    it("retries a status call after a 5xx, and answers once Lipia recovers", async () => {
      const { reference } = await push(NEVER_SETTLES)
      sandbox.injectFault({ api: "lipia", path: "/payments/status", mode: "http_503", times: 2 })

      const status = await client.getStatus(reference)

      expect(status.state).toBe("pending")
      const statusCalls = sandbox.requests().filter((r) => r.path.endsWith("/payments/status"))
      expect(statusCalls.map((r) => r.status)).toEqual([503, 503, 200])
    })

    it("reports Lipia as unavailable when the status call keeps failing", async () => {
      sandbox.injectFault({ api: "lipia", path: "/payments/status", mode: "http_500", times: 10 })

      const error = await client.getStatus("0123456789abcdef01234567").catch((e) => e)

      expect(error).toMatchObject({ kind: "unavailable", httpStatus: 500 })
      expect(sandbox.requests().filter((r) => r.path.endsWith("/payments/status"))).toHaveLength(4)
    })

    it("reports a malformed status body as an unexpected payload", async () => {
      sandbox.injectFault({ api: "lipia", path: "/payments/status", mode: "malformed_json", times: 1 })

      await expect(client.getStatus("0123456789abcdef01234567")).rejects.toMatchObject({
        kind: "unexpected_payload",
      })
    })
  })

  describe("parseCallback", () => {
    it("reads the success callback Lipia sends (title-case Status) as paid", async () => {
      await push("0700000000", 120)
      await sandbox.waitFor(() => receiver.bodies.length === 1)

      const callback = client.parseCallback(receiver.bodies[0])

      expect(callback).toMatchObject({
        gateway: "lipia",
        reference: "payses_01TEST",
        state: "paid",
        amount: 120,
        resultCode: 0,
        phone: "254700000000",
      })
      expect(callback.receipt).toMatch(/^[A-Z][A-Z0-9]{9}$/)
      expect(callback.checkoutId).toBeTruthy()
    })

    it("reads a cancelled prompt's callback as failed with code 1032", async () => {
      await push("0700000001")
      await sandbox.waitFor(() => receiver.bodies.length === 1)

      expect(client.parseCallback(receiver.bodies[0])).toMatchObject({
        state: "failed",
        resultCode: 1032,
        outcome: "cancelled",
        receipt: undefined,
      })
    })

    it("receives a duplicated callback twice, identical both times", async () => {
      await push("0700000006")
      await sandbox.waitFor(() => receiver.bodies.length === 2)

      expect(client.parseCallback(receiver.bodies[0])).toEqual(client.parseCallback(receiver.bodies[1]))
    })

    it.each([
      ["not an object", "ok"],
      ["no response", { status: true }],
      ["an unknown Status", { response: { Amount: 1, ExternalReference: "x", ResultCode: 0, Status: "Maybe" }, status: true }],
      ["a non-numeric amount", { response: { Amount: "lots", ExternalReference: "x", ResultCode: 0, Status: "Success" }, status: true }],
      ["no ExternalReference", { response: { Amount: 1, ResultCode: 0, Status: "Success", MpesaReceiptNumber: "ABC" }, status: true }],
    ])("rejects a callback with %s", (_case, body) => {
      expect(() => client.parseCallback(body)).toThrow(
        expect.objectContaining({ kind: "unexpected_payload", code: "MPESA_GATEWAY_UNEXPECTED_RESPONSE" })
      )
    })

    it("does not count a 'Success' callback that carries no receipt", () => {
      const body = {
        response: { Amount: 10, ExternalReference: "payses_1", ResultCode: 0, Status: "Success", MpesaReceiptNumber: "" },
        status: true,
      }
      expect(client.parseCallback(body).state).toBe("pending")
    })
  })
})
