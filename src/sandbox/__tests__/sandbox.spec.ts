/**
 * The sandbox over real HTTP on loopback, with plain axios (not the plugin's clients): what a
 * client of Lipia Online v2 or Lipwa sees must match reference/ exactly.
 */
import http from "node:http"
import type { AddressInfo } from "node:net"
import axios, { type AxiosRequestConfig, type AxiosResponse } from "axios"
import { type Sandbox, type SandboxOptions, startSandbox } from "../index"

// ---------------------------------------------------------------- helpers

const LIPIA_KEY = "lipia-test-key"
const LIPIA_KEY_2 = "lipia-other-key"
const LIPWA_KEY = "lipwa-test-key"
const LIPWA_KEY_2 = "lipwa-other-key"
const CHANNEL = "CH_TEST01"

const client = axios.create({ validateStatus: () => true, proxy: false })

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const NAIROBI = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/
const RECEIPT = /^[A-Z][A-Z0-9]{9}$/

interface Received {
  path: string
  body: any
}

/** A tiny callback receiver: answers 200 "ok", or 500 on /fail. */
async function startReceiver() {
  const received: Received[] = []
  const server = http.createServer((req, res) => {
    let raw = ""
    req.on("data", (chunk) => (raw += chunk))
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: raw ? JSON.parse(raw) : undefined })
      const fail = req.url?.startsWith("/fail")
      res.writeHead(fail ? 500 : 200, { "Content-Type": "text/plain" })
      res.end(fail ? "nope" : "ok")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>

function auth(key: string): AxiosRequestConfig {
  return { headers: { Authorization: `Bearer ${key}` } }
}

function lipiaPush(sb: Sandbox, body: unknown, key = LIPIA_KEY): Promise<AxiosResponse<any>> {
  return client.post(`${sb.lipiaBaseUrl}/payments/stk-push`, body, auth(key))
}

function lipiaStatus(sb: Sandbox, reference: string, key = LIPIA_KEY): Promise<AxiosResponse<any>> {
  return client.get(`${sb.lipiaBaseUrl}/payments/status?${new URLSearchParams({ reference })}`, auth(key))
}

function lipwaPush(sb: Sandbox, body: unknown, key = LIPWA_KEY): Promise<AxiosResponse<any>> {
  return client.post(`${sb.lipwaBaseUrl}/payments`, body, auth(key))
}

function lipwaStatus(sb: Sandbox, ref: string, key = LIPWA_KEY): Promise<AxiosResponse<any>> {
  return client.get(`${sb.lipwaBaseUrl}/status?${new URLSearchParams({ ref })}`, auth(key))
}

function lipwaTransactions(sb: Sandbox, limit?: number | string, key = LIPWA_KEY): Promise<AxiosResponse<any>> {
  const query = limit === undefined ? "" : `?${new URLSearchParams({ limit: String(limit) })}`
  return client.get(`${sb.lipwaBaseUrl}/transactions${query}`, auth(key))
}

function lipiaBody(overrides: Record<string, unknown> = {}) {
  return { phone_number: "0712345678", amount: 100, external_reference: "order_123", ...overrides }
}

function lipwaBody(overrides: Record<string, unknown> = {}) {
  return { amount: 100, phone_number: "0712345678", channel_id: CHANNEL, ...overrides }
}

const sandboxes: Sandbox[] = []

async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox(options)
  sandboxes.push(sb)
  return sb
}

afterAll(async () => {
  await Promise.all(sandboxes.map((sb) => sb.close()))
})

// ---------------------------------------------------------------- shared sandbox

let sb: Sandbox
let receiver: Receiver

beforeAll(async () => {
  receiver = await startReceiver()
  sb = await sandbox({
    approveDelayMs: 30,
    lipiaApiKeys: [LIPIA_KEY, LIPIA_KEY_2],
    lipwaApiKeys: [LIPWA_KEY, LIPWA_KEY_2],
    lipwaChannels: [CHANNEL],
  })
})

afterAll(() => receiver.close())

beforeEach(() => {
  sb.reset()
  receiver.received.length = 0
})

function callbacksFor(checkoutId: string): Received[] {
  return receiver.received.filter(
    (r) => r.body?.response?.CheckoutRequestID === checkoutId || r.body?.checkout_id === checkoutId,
  )
}

// ---------------------------------------------------------------- Lipia

describe("Lipia STK push", () => {
  it("accepts a push with HTTP 200 and the documented success envelope", async () => {
    const res = await lipiaPush(sb, lipiaBody())
    expect(res.status).toBe(200)
    expect(res.data).toEqual({
      success: true,
      status: "success",
      message: "STK push initiated successfully",
      customerMessage: "STK push initiated successfully",
      data: {
        TransactionReference: expect.stringMatching(/^[0-9a-f]{24}$/),
        ResponseCode: 0,
        ResponseDescription: "Success. Request accepted for processing",
      },
      timestamp: expect.stringMatching(ISO),
    })
    // The shared sandbox approves 30 ms after the push: on a loaded machine that may already
    // have happened, so the record is checked, not the moment.
    expect(sb.payment(res.data.data.TransactionReference)).toMatchObject({
      api: "lipia",
      amount: 100,
      phone: "254712345678",
      status: expect.stringMatching(/^(pending|success)$/),
    })
  })

  it.each(["0712345678", "0112345678", "254712345678", "254112345678", "+254712345678", "+254112345678"])(
    "accepts the documented phone form %s and normalises it to 254…",
    async (phone) => {
      const res = await lipiaPush(sb, lipiaBody({ phone_number: phone }))
      expect(res.status).toBe(200)
      expect(sb.payment(res.data.data.TransactionReference)?.phone).toMatch(/^254[17]\d{8}$/)
    },
  )

  const PHONE = "valid safaricom kenyan number"
  const AMOUNT = "positive integer, minimum 1"
  it.each([
    ["a missing phone_number", { phone_number: undefined }, "phone_number", null, PHONE],
    ["a malformed phone_number", { phone_number: "12345" }, "phone_number", "12345", PHONE],
    ["a non-Safaricom (Airtel) phone_number", { phone_number: "0733123456" }, "phone_number", "0733123456", PHONE],
    ["a phone_number sent as a number", { phone_number: 254712345678 }, "phone_number", 254712345678, PHONE],
    ["a missing amount", { amount: undefined }, "amount", null, AMOUNT],
    ["an amount of 0", { amount: 0 }, "amount", 0, AMOUNT],
    ["a negative amount", { amount: -5 }, "amount", -5, AMOUNT],
    ["a fractional amount", { amount: 10.5 }, "amount", 10.5, AMOUNT],
    ["an amount sent as a string", { amount: "100" }, "amount", "100", AMOUNT],
    ["an object external_reference", { external_reference: { a: 1 } }, "external_reference", { a: 1 }, "string or number"],
    ["a non-http callback_url", { callback_url: "ftp://example.com/cb" }, "callback_url", "ftp://example.com/cb", "valid http(s) URL"],
    ["a callback_url that is not a URL", { callback_url: "not a url" }, "callback_url", "not a url", "valid http(s) URL"],
    ["nested metadata", { metadata: { order: { id: 1 } } }, "metadata", { order: { id: 1 } }, "flat object of key-value pairs"],
    ["metadata that is an array", { metadata: ["a"] }, "metadata", ["a"], "flat object of key-value pairs"],
  ])("rejects %s with 400 VALIDATION_ERROR naming the field", async (_name, overrides, field, value, expected) => {
    const res = await lipiaPush(sb, lipiaBody(overrides))
    expect(res.status).toBe(400)
    expect(res.data).toEqual({
      success: false,
      status: "error",
      message: "Validation failed",
      customerMessage: "Please check your input and try again",
      error: { code: "VALIDATION_ERROR", field, location: "body", value, expected },
      timestamp: expect.stringMatching(ISO),
    })
    expect(sb.payments()).toHaveLength(0)
  })

  it("reports a malformed JSON body as a validation error on the body", async () => {
    const res = await client.post(`${sb.lipiaBaseUrl}/payments/stk-push`, '{"phone_number": "07', {
      headers: { Authorization: `Bearer ${LIPIA_KEY}`, "Content-Type": "application/json" },
    })
    expect(res.status).toBe(400)
    expect(res.data).toMatchObject({
      success: false,
      message: "Validation failed",
      error: { code: "VALIDATION_ERROR", field: "body", location: "body" },
    })
    expect(sb.payments()).toHaveLength(0)
  })

  it.each([
    ["no Authorization header", {}],
    ["an unknown key", { Authorization: "Bearer not-a-key" }],
    ["a non-bearer scheme", { Authorization: `Basic ${LIPIA_KEY}` }],
    ["an empty bearer token", { Authorization: "Bearer " }],
  ])("refuses %s with 401 UNAUTHORIZED on both endpoints", async (_name, headers) => {
    const push = await client.post(`${sb.lipiaBaseUrl}/payments/stk-push`, lipiaBody(), { headers })
    const status = await client.get(`${sb.lipiaBaseUrl}/payments/status?reference=abc`, { headers })
    for (const res of [push, status]) {
      expect(res.status).toBe(401)
      expect(res.data).toMatchObject({ success: false, status: "error", error: { code: "UNAUTHORIZED" } })
      expect(res.data.timestamp).toMatch(ISO)
    }
    expect(sb.payments()).toHaveLength(0)
  })
})

describe("Lipia status", () => {
  it("reports a pending push as PENDING with ResultCode 0 and no receipt", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010", metadata: { order_id: "42" } }))
    const res = await lipiaStatus(sb, push.data.data.TransactionReference)
    expect(res.status).toBe(200)
    expect(res.data).toEqual({
      success: true,
      status: "success",
      message: expect.any(String),
      customerMessage: expect.any(String),
      data: {
        response: {
          Status: "PENDING",
          Amount: 100,
          MpesaReceiptNumber: "",
          ResultCode: 0,
          ResultDesc: expect.any(String),
          ExternalReference: "order_123",
          MerchantRequestID: expect.any(String),
          Phone: "254700000010",
          Metadata: { order_id: "42" },
          TransactionDate: expect.stringMatching(ISO),
        },
        status: false,
      },
      timestamp: expect.stringMatching(ISO),
    })
  })

  it("requires the reference query parameter (400, location query)", async () => {
    const res = await client.get(`${sb.lipiaBaseUrl}/payments/status`, auth(LIPIA_KEY))
    expect(res.status).toBe(400)
    expect(res.data.error).toMatchObject({ code: "VALIDATION_ERROR", field: "reference", location: "query" })
  })

  it("answers 404 NOT_FOUND for an unknown reference", async () => {
    const res = await lipiaStatus(sb, "0123456789abcdef01234567")
    expect(res.status).toBe(404)
    expect(res.data).toMatchObject({
      success: false,
      status: "error",
      message: "Transaction not found",
      error: { code: "NOT_FOUND" },
    })
  })

  it("does not show one API key's payments to another key", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010" }))
    const res = await lipiaStatus(sb, push.data.data.TransactionReference, LIPIA_KEY_2)
    expect(res.status).toBe(404)
  })

  it("echoes a numeric external_reference as a string and an absent one as an empty string", async () => {
    const numeric = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010", external_reference: 5521 }))
    const absent = await lipiaPush(sb, { phone_number: "0700000010", amount: 5 })
    expect((await lipiaStatus(sb, numeric.data.data.TransactionReference)).data.data.response.ExternalReference).toBe("5521")
    const response = (await lipiaStatus(sb, absent.data.data.TransactionReference)).data.data.response
    expect(response.ExternalReference).toBe("")
    expect(response.Metadata).toEqual({})
  })
})

describe("Lipia magic numbers: status API and callback", () => {
  it.each([
    ["0700000000", "success", true, 0, "The service request is processed successfully."],
    ["254700000001", "cancelled", false, 1032, "Request cancelled by user"],
    ["+254700000002", "timeout", false, 1037, "DS timeout user cannot be reached"],
    ["0700000003", "insufficient funds", false, 1, "The balance is insufficient for the transaction"],
    ["0700000004", "wrong PIN", false, 2001, "The initiator information is invalid"],
    ["0700000008", "expired", false, 1019, "Transaction has expired"],
    [
      "0700000009",
      "busy",
      false,
      1001,
      "Unable to lock subscriber, a transaction is already in process for the current subscriber",
    ],
  ])("%s settles as %s", async (phone, _outcome, paid, resultCode, resultDesc) => {
    const push = await lipiaPush(
      sb,
      lipiaBody({ phone_number: phone, callback_url: `${receiver.url}/cb`, metadata: { cart: "c_1" } }),
    )
    const ref = push.data.data.TransactionReference
    const checkoutId = sb.payment(ref)!.checkoutRequestId
    await sb.waitFor(() => callbacksFor(checkoutId).length === 1)

    const status = (await lipiaStatus(sb, ref)).data.data
    const receipt = status.response.MpesaReceiptNumber
    expect(status).toEqual({
      response: {
        Status: paid ? "SUCCESS" : "FAILED",
        Amount: 100,
        MpesaReceiptNumber: paid ? expect.stringMatching(RECEIPT) : "",
        ResultCode: resultCode,
        ResultDesc: resultDesc,
        ExternalReference: "order_123",
        MerchantRequestID: expect.any(String),
        Phone: `254${phone.slice(-9)}`,
        Metadata: { cart: "c_1" },
        TransactionDate: expect.stringMatching(ISO),
      },
      status: paid,
    })

    const [callback] = callbacksFor(checkoutId)
    expect(callback.path).toBe("/cb")
    expect(callback.body).toEqual({
      response: {
        Amount: 100,
        ExternalReference: "order_123",
        MerchantRequestID: status.response.MerchantRequestID,
        CheckoutRequestID: expect.stringMatching(/^ws_CO_\d{24}$/),
        MpesaReceiptNumber: receipt,
        Phone: `254${phone.slice(-9)}`,
        ResultCode: resultCode,
        ResultDesc: resultDesc,
        Metadata: { cart: "c_1" },
        Status: paid ? "Success" : "Failed",
      },
      status: paid,
    })
  })

  it("0700000005 settles as paid on the status API but its callback is lost", async () => {
    const lost = await lipiaPush(sb, lipiaBody({ phone_number: "0700000005", callback_url: `${receiver.url}/cb` }))
    // A later push with the same delay settles after the lost one: its callback marks time.
    const marker = await lipiaPush(sb, lipiaBody({ phone_number: "0700000000", callback_url: `${receiver.url}/cb` }))
    const lostRef = lost.data.data.TransactionReference
    await sb.waitFor(() => callbacksFor(sb.payment(marker.data.data.TransactionReference)!.checkoutRequestId).length === 1)
    await sb.waitFor(() => sb.payment(lostRef)!.status === "success")

    const status = (await lipiaStatus(sb, lostRef)).data.data
    expect(status.status).toBe(true)
    expect(status.response.Status).toBe("SUCCESS")
    expect(callbacksFor(sb.payment(lostRef)!.checkoutRequestId)).toHaveLength(0)
    expect(sb.callbacks().filter((c) => c.ref === lostRef)).toHaveLength(0)
    expect(sb.payment(lostRef)!.callback).toBe("lost")
  })

  it("0700000006 sends the same success callback twice, one after the other", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000006", callback_url: `${receiver.url}/cb` }))
    const ref = push.data.data.TransactionReference
    await sb.waitFor(() => sb.callbacks().filter((c) => c.ref === ref).length === 2)
    const deliveries = sb.callbacks().filter((c) => c.ref === ref)
    expect(deliveries[0].body).toEqual(deliveries[1].body)
    expect(Date.parse(deliveries[1].at)).toBeGreaterThanOrEqual(Date.parse(deliveries[0].at) + deliveries[0].durationMs)
    expect(callbacksFor(sb.payment(ref)!.checkoutRequestId)).toHaveLength(2)
    expect((deliveries[0].body as any).response.Status).toBe("Success")
  })

  it("0700000007 is underpaid: status API and callback both report floor(amount / 2)", async () => {
    const push = await lipiaPush(
      sb,
      lipiaBody({ phone_number: "0700000007", amount: 101, callback_url: `${receiver.url}/cb` }),
    )
    const ref = push.data.data.TransactionReference
    await sb.waitFor(() => sb.callbacks().some((c) => c.ref === ref))
    const status = (await lipiaStatus(sb, ref)).data.data
    expect(status.status).toBe(true)
    expect(status.response).toMatchObject({ Status: "SUCCESS", Amount: 50, ResultCode: 0 })
    expect((sb.callbacks()[0].body as any).response).toMatchObject({ Status: "Success", Amount: 50 })
    expect(sb.payment(ref)).toMatchObject({ amount: 101, amountPaid: 50, outcome: "underpaid" })
  })

  it("0700000010 never settles by itself, and settles when told to", async () => {
    const never = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010", callback_url: `${receiver.url}/cb` }))
    const marker = await lipiaPush(sb, lipiaBody({ phone_number: "0700000000" }))
    const ref = never.data.data.TransactionReference
    await sb.waitFor(() => sb.payment(marker.data.data.TransactionReference)!.status === "success")
    expect(sb.payment(ref)).toMatchObject({ status: "pending", autoSettleAt: null })

    const settled = await sb.settle(ref, "wrong_pin")
    expect(settled).toMatchObject({ status: "failed", resultCode: 2001 })
    expect((await lipiaStatus(sb, ref)).data.data.response).toMatchObject({ Status: "FAILED", ResultCode: 2001 })
    expect(callbacksFor(settled.checkoutRequestId)).toHaveLength(1)
  })

  it("gives every paid push its own receipt", async () => {
    const pushes = await Promise.all(
      [1, 2, 3, 4, 5].map(() => lipiaPush(sb, lipiaBody({ phone_number: "0700000000" }))),
    )
    await sb.waitFor(() => sb.payments().every((p) => p.status === "success"))
    const receipts = sb.payments().map((p) => p.receipt)
    expect(new Set(receipts).size).toBe(pushes.length)
    receipts.forEach((r) => expect(r).toMatch(RECEIPT))
  })
})

// ---------------------------------------------------------------- Lipwa

describe("Lipwa STK push", () => {
  it("accepts a push with HTTP 201 and the documented body", async () => {
    const res = await lipwaPush(sb, lipwaBody({ api_ref: { name: "John Doe" } }))
    expect(res.status).toBe(201)
    expect(res.data).toEqual({
      MerchantRequestID: expect.any(String),
      CheckoutRequestID: expect.stringMatching(/^ws_CO_\d{24}$/),
      ResponseCode: "0",
      ResponseDescription: "Success. Request accepted for processing",
      CustomerMessage: "Success. Request accepted for processing",
    })
    // The id embeds the Nairobi date as DDMMYYYY.
    const nairobi = new Date(Date.now() + 3 * 3600_000).toISOString()
    const ddmmyyyy = `${nairobi.slice(8, 10)}${nairobi.slice(5, 7)}${nairobi.slice(0, 4)}`
    expect(res.data.CheckoutRequestID.slice(6, 14)).toBe(ddmmyyyy)
    expect(sb.payment(res.data.CheckoutRequestID)).toMatchObject({ api: "lipwa", channelId: CHANNEL })
  })

  it.each([
    ["an amount below the minimum of 10", { amount: 9 }, /10/],
    ["a missing amount", { amount: undefined }, /amount/],
    ["a fractional amount", { amount: 10.5 }, /amount/],
    ["an amount sent as a string", { amount: "100" }, /amount/],
    ["a malformed phone_number", { phone_number: "0712" }, /phone_number/],
    ["a non-Safaricom phone_number", { phone_number: "0780123456" }, /phone_number/],
    ["a missing phone_number", { phone_number: undefined }, /phone_number/],
    ["a missing channel_id", { channel_id: undefined }, /channel_id/],
    ["an unknown channel_id", { channel_id: "CH_OTHER" }, /Invalid channel_id/],
    ["a callback_url that is not a URL", { callback_url: "callback" }, /callback_url/],
    ["a numeric api_ref", { api_ref: 5 }, /api_ref/],
    ["an array api_ref", { api_ref: ["a"] }, /api_ref/],
  ])("rejects %s with 400 and a readable message", async (_name, overrides, message) => {
    const res = await lipwaPush(sb, lipwaBody(overrides))
    expect(res.status).toBe(400)
    expect(res.data).toEqual({ message: expect.stringMatching(message) })
    expect(sb.payments()).toHaveLength(0)
  })

  it("rejects a malformed JSON body with 400", async () => {
    const res = await client.post(`${sb.lipwaBaseUrl}/payments`, "{amount: 10", {
      headers: { Authorization: `Bearer ${LIPWA_KEY}`, "Content-Type": "application/json" },
    })
    expect(res.status).toBe(400)
    expect(res.data).toEqual({ message: expect.any(String) })
  })

  it.each([
    ["no Authorization header", {}],
    ["an unknown key", { Authorization: "Bearer nope" }],
  ])("refuses %s with 401 on every endpoint", async (_name, headers) => {
    const responses = await Promise.all([
      client.post(`${sb.lipwaBaseUrl}/payments`, lipwaBody(), { headers }),
      client.get(`${sb.lipwaBaseUrl}/status?ref=ws_CO_1`, { headers }),
      client.get(`${sb.lipwaBaseUrl}/transactions`, { headers }),
    ])
    for (const res of responses) {
      expect(res.status).toBe(401)
      expect(res.data).toEqual({ message: expect.any(String) })
    }
    expect(sb.payments()).toHaveLength(0)
  })

  it("answers 404 for an unknown route", async () => {
    const res = await client.get(`${sb.lipwaBaseUrl}/refunds`, auth(LIPWA_KEY))
    expect(res.status).toBe(404)
    expect(res.data).toEqual({ message: expect.any(String) })
  })
})

describe("Lipwa status", () => {
  it("reports a fresh push as payment.queued with the amount as a string", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010", api_ref: { email: "a@b.co" } }))
    const res = await lipwaStatus(sb, push.data.CheckoutRequestID)
    expect(res.status).toBe(200)
    expect(res.data).toEqual({
      status: "payment.queued",
      pay_reference: push.data.CheckoutRequestID,
      transaction_date: expect.stringMatching(NAIROBI),
      amount: "100",
      receipt: null,
      api_ref: { email: "a@b.co" },
    })
  })

  it("answers api_ref null when none was sent", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010" }))
    expect((await lipwaStatus(sb, push.data.CheckoutRequestID)).data.api_ref).toBeNull()
  })

  it("requires ref (400) and answers 404 for an unknown one", async () => {
    const missing = await client.get(`${sb.lipwaBaseUrl}/status`, auth(LIPWA_KEY))
    expect(missing.status).toBe(400)
    expect(missing.data).toEqual({ message: expect.any(String) })
    const unknown = await lipwaStatus(sb, "ws_CO_000000000000000000000000")
    expect(unknown.status).toBe(404)
    expect(unknown.data).toEqual({ message: "Transaction not found" })
  })
})

describe("Lipwa magic numbers: status API and callback", () => {
  it("0700000000 pays: payment.success with receipt, and the documented success callback", async () => {
    const push = await lipwaPush(
      sb,
      lipwaBody({ phone_number: "0700000000", callback_url: `${receiver.url}/lipwa`, api_ref: "name@gmail.com" }),
    )
    const id = push.data.CheckoutRequestID
    await sb.waitFor(() => callbacksFor(id).length === 1)
    const status = (await lipwaStatus(sb, id)).data
    expect(status).toEqual({
      status: "payment.success",
      pay_reference: id,
      transaction_date: expect.stringMatching(NAIROBI),
      amount: "100",
      receipt: expect.stringMatching(RECEIPT),
      api_ref: "name@gmail.com",
    })
    expect(callbacksFor(id)[0].body).toEqual({
      status: "payment.success",
      transaction_id: `TR_${status.receipt}`,
      checkout_id: id,
      amount: 100,
      phone_number: "254700000000",
      mpesa_code: status.receipt,
      api_ref: "name@gmail.com",
      payment_date: expect.stringMatching(NAIROBI),
    })
  })

  it.each(["0700000001", "0700000002", "0700000003", "0700000004", "0700000008", "0700000009"])(
    "%s fails: payment.failed, no receipt, and the documented failure callback",
    async (phone) => {
      const push = await lipwaPush(
        sb,
        lipwaBody({ phone_number: phone, callback_url: `${receiver.url}/lipwa`, api_ref: { order: "o_1" } }),
      )
      const id = push.data.CheckoutRequestID
      await sb.waitFor(() => callbacksFor(id).length === 1)
      expect((await lipwaStatus(sb, id)).data).toMatchObject({ status: "payment.failed", receipt: null, amount: "100" })
      expect(callbacksFor(id)[0].body).toEqual({
        status: "payment.failed",
        checkout_id: id,
        amount: 100,
        phone_number: `254${phone.slice(-9)}`,
        mpesa_code: null,
        api_ref: { order: "o_1" },
        payment_date: expect.stringMatching(NAIROBI),
      })
    },
  )

  it("0700000007 is underpaid on the status API, the callback and the transactions list", async () => {
    const push = await lipwaPush(
      sb,
      lipwaBody({ phone_number: "0700000007", amount: 101, callback_url: `${receiver.url}/lipwa` }),
    )
    const id = push.data.CheckoutRequestID
    await sb.waitFor(() => callbacksFor(id).length === 1)
    expect((await lipwaStatus(sb, id)).data).toMatchObject({ status: "payment.success", amount: "50" })
    expect(callbacksFor(id)[0].body).toMatchObject({ status: "payment.success", amount: 50 })
    const [row] = (await lipwaTransactions(sb)).data.transactions
    expect(row).toMatchObject({ amount: 50, description: "Received Kes 50 from 254700000007" })
  })

  it("0700000005 is paid on the status API but never calls back", async () => {
    const lost = await lipwaPush(sb, lipwaBody({ phone_number: "0700000005", callback_url: `${receiver.url}/lipwa` }))
    const marker = await lipwaPush(sb, lipwaBody({ phone_number: "0700000000", callback_url: `${receiver.url}/lipwa` }))
    await sb.waitFor(() => callbacksFor(marker.data.CheckoutRequestID).length === 1)
    await sb.waitFor(() => sb.payment(lost.data.CheckoutRequestID)!.status === "success")
    expect((await lipwaStatus(sb, lost.data.CheckoutRequestID)).data.status).toBe("payment.success")
    expect(callbacksFor(lost.data.CheckoutRequestID)).toHaveLength(0)
  })

  it("0700000006 calls back twice", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000006", callback_url: `${receiver.url}/lipwa` }))
    await sb.waitFor(() => callbacksFor(push.data.CheckoutRequestID).length === 2)
    const [first, second] = callbacksFor(push.data.CheckoutRequestID)
    expect(first.body).toEqual(second.body)
  })
})

describe("Lipwa transactions", () => {
  it("lists successful payments only, newest first, in the documented shape", async () => {
    const a = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010", amount: 500 }))
    const b = await lipwaPush(sb, lipwaBody({ phone_number: "0712345678", amount: 1200 }))
    const c = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010", amount: 300 }))
    // Settled out of push order: b, then a; c fails.
    await sb.settle(b.data.CheckoutRequestID, "success")
    await sb.settle(a.data.CheckoutRequestID, "success")
    await sb.settle(c.data.CheckoutRequestID, "cancelled")

    const res = await lipwaTransactions(sb)
    expect(res.status).toBe(200)
    const receiptA = sb.payment(a.data.CheckoutRequestID)!.receipt
    expect(res.data).toEqual({
      transactions: [
        {
          transaction_id: `TR_${receiptA}`,
          description: "Received Kes 500 from 254700000010",
          amount: 500,
          transaction_type: "Credit",
          phone: 254700000010,
          reference: a.data.CheckoutRequestID,
          receipt_number: receiptA,
          payment_date: expect.stringMatching(NAIROBI),
        },
        expect.objectContaining({ reference: b.data.CheckoutRequestID, amount: 1200, phone: 254712345678 }),
      ],
    })
  })

  it("returns the most recent `limit` transactions, or all without a limit", async () => {
    const pushes = []
    for (const amount of [10, 20, 30]) {
      pushes.push(await lipwaPush(sb, lipwaBody({ phone_number: "0700000010", amount })))
    }
    for (const push of pushes) {
      await sb.settle(push.data.CheckoutRequestID, "success")
    }
    expect((await lipwaTransactions(sb, 2)).data.transactions.map((t: any) => t.amount)).toEqual([30, 20])
    expect((await lipwaTransactions(sb)).data.transactions).toHaveLength(3)
    expect((await lipwaTransactions(sb, "abc")).status).toBe(400)
  })
})

describe("Lipwa rate limit", () => {
  it("answers 429 to the 11th request within a second, on every endpoint, without Retry-After", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010" }))
    const id = push.data.CheckoutRequestID
    const burst = await Promise.all([
      ...Array.from({ length: 5 }, () => lipwaStatus(sb, id)),
      ...Array.from({ length: 4 }, () => lipwaTransactions(sb)),
    ])
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200])

    for (const res of [
      await lipwaPush(sb, lipwaBody({ phone_number: "0700000010" })),
      await lipwaStatus(sb, id),
      await lipwaTransactions(sb),
    ]) {
      expect(res.status).toBe(429)
      expect(res.data).toEqual({ message: "Too Many Requests" })
      expect(res.headers["retry-after"]).toBeUndefined()
    }
    expect(sb.payments()).toHaveLength(1)
  })

  it("counts each API key separately", async () => {
    await Promise.all(Array.from({ length: 10 }, () => lipwaTransactions(sb)))
    expect((await lipwaTransactions(sb)).status).toBe(429)
    expect((await lipwaTransactions(sb, undefined, LIPWA_KEY_2)).status).toBe(200)
  })

  it("recovers once the window has passed, and refused requests do not extend it", async () => {
    const burst = await Promise.all(Array.from({ length: 10 }, () => lipwaTransactions(sb)))
    const lastAccepted = Date.now()
    expect(burst.every((r) => r.status === 200)).toBe(true)

    // A refused request late in the window: if it counted, it would block until ~1.9 s.
    await sb.waitFor(() => Date.now() >= lastAccepted + 800, 2000)
    expect((await lipwaTransactions(sb)).status).toBe(429)

    await sb.waitFor(() => Date.now() > lastAccepted + 1050, 2000)
    expect((await lipwaTransactions(sb)).status).toBe(200)
  })

  it("does not rate-limit Lipia (no limit is documented)", async () => {
    const responses = await Promise.all(Array.from({ length: 15 }, () => lipiaStatus(sb, "0123456789abcdef01234567")))
    expect(responses.every((r) => r.status === 404)).toBe(true)
  })
})

// ---------------------------------------------------------------- callbacks

describe("Callback deliveries", () => {
  it("records each POST with the receiver's status and answer", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000000", callback_url: `${receiver.url}/cb?x=1` }))
    const ref = push.data.data.TransactionReference
    await sb.waitFor(() => sb.callbacks().length === 1)
    expect(sb.callbacks()[0]).toEqual({
      ref,
      api: "lipia",
      url: `${receiver.url}/cb?x=1`,
      body: expect.objectContaining({ status: true }),
      status: 200,
      responseBody: "ok",
      at: expect.stringMatching(ISO),
      durationMs: expect.any(Number),
    })
  })

  it("records a receiver's error answer and an unreachable receiver without retrying", async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`
    await new Promise<void>((resolve) => closed.close(() => resolve()))

    const failing = await lipwaPush(sb, lipwaBody({ phone_number: "0700000000", callback_url: `${receiver.url}/fail` }))
    const dead = await lipwaPush(sb, lipwaBody({ phone_number: "0700000000", callback_url: deadUrl }))
    await sb.waitFor(() => sb.callbacks().length === 2)

    const byRef = (ref: string) => sb.callbacks().filter((c) => c.ref === ref)
    expect(byRef(failing.data.CheckoutRequestID)).toEqual([
      expect.objectContaining({ status: 500, responseBody: "nope" }),
    ])
    const [unreachable] = byRef(dead.data.CheckoutRequestID)
    expect(unreachable.status).toBeUndefined()
    expect(unreachable.error).toMatch(/ECONNREFUSED/)
  })

  it("sends no callback when the push had no callback_url", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010" }))
    const settled = await sb.settle(push.data.data.TransactionReference, "success")
    expect(settled.callback).toBe("send")
    expect(sb.callbacks()).toHaveLength(0)
  })

  it("resends a settled payment's callback on request", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010", callback_url: `${receiver.url}/cb` }))
    const ref = push.data.data.TransactionReference
    await sb.settle(ref, "success")
    const resent = await client.post(`${sb.url}/__sandbox/payments/${ref}/callback`)
    expect(resent.status).toBe(200)
    expect(resent.data).toMatchObject({ ref, status: 200, responseBody: "ok" })
    expect(callbacksFor(sb.payment(ref)!.checkoutRequestId)).toHaveLength(2)
  })

  it("delivers a resent callback to another URL when asked, and refuses a URL that is not http(s)", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010", callback_url: `${receiver.url}/lipwa` }))
    const ref = push.data.CheckoutRequestID
    await sb.settle(ref, "success", { callback: "lost" })
    const resent = await client.post(`${sb.url}/__sandbox/payments/${ref}/callback`, { url: `${receiver.url}/hooks/payment/elsewhere` })
    expect(resent.status).toBe(200)
    expect(resent.data).toMatchObject({ ref, url: `${receiver.url}/hooks/payment/elsewhere`, status: 200 })
    expect(callbacksFor(ref).map((c) => c.path)).toEqual(["/hooks/payment/elsewhere"])
    const refused = await client.post(`${sb.url}/__sandbox/payments/${ref}/callback`, { url: "ftp://example.com/cb" })
    expect(refused.status).toBe(400)
    expect(callbacksFor(ref)).toHaveLength(1)
  })

  it("settle() resolves only after the callback was delivered", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010", callback_url: `${receiver.url}/lipwa` }))
    await sb.settle(push.data.CheckoutRequestID, "success", { callback: "duplicate" })
    expect(callbacksFor(push.data.CheckoutRequestID)).toHaveLength(2)
    expect(sb.callbacks()).toHaveLength(2)
  })
})

// ---------------------------------------------------------------- manual mode

describe("Manual mode", () => {
  let manual: Sandbox

  beforeAll(async () => {
    manual = await sandbox({ manual: true, approveDelayMs: 20 })
  })

  it("keeps an ordinary number pending until it is approved through the control API", async () => {
    const push = await lipiaPush(manual, lipiaBody({ callback_url: `${receiver.url}/cb` }), "any-key")
    const ref = push.data.data.TransactionReference
    const marker = await lipiaPush(manual, lipiaBody({ phone_number: "0700000000" }), "any-key")
    // Magic numbers still settle by themselves in manual mode.
    await manual.waitFor(() => manual.payment(marker.data.data.TransactionReference)!.status === "success")
    expect((await lipiaStatus(manual, ref, "any-key")).data.data.response.Status).toBe("PENDING")
    expect(manual.payment(ref)!.autoSettleAt).toBeNull()

    const approved = await client.post(`${manual.url}/__sandbox/payments/${ref}/settle`, { outcome: "success" })
    expect(approved.status).toBe(200)
    expect(approved.data).toMatchObject({ ref, status: "success", receipt: expect.stringMatching(RECEIPT) })
    expect((await lipiaStatus(manual, ref, "any-key")).data.data.status).toBe(true)
    expect(callbacksFor(approved.data.checkoutRequestId)).toHaveLength(1)
  })

  it("reports a decline as a cancellation (1032)", async () => {
    const push = await lipwaPush(manual, lipwaBody({ callback_url: `${receiver.url}/lipwa` }), "any-key")
    const id = push.data.CheckoutRequestID
    const declined = await client.post(`${manual.url}/__sandbox/payments/${id}/settle`, { outcome: "cancelled" })
    expect(declined.data).toMatchObject({ status: "failed", resultCode: 1032, resultDesc: "Request cancelled by user" })
    expect((await lipwaStatus(manual, id, "any-key")).data.status).toBe("payment.failed")
    expect(callbacksFor(id)[0].body.status).toBe("payment.failed")
  })
})

describe("Auto-approve mode", () => {
  it("approves an ordinary number after the delay", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0722000111" }))
    const ref = push.data.data.TransactionReference
    expect(sb.payment(ref)!.autoSettleAt).toMatch(ISO)
    await sb.waitFor(() => sb.payment(ref)!.status === "success")
    expect(sb.payment(ref)).toMatchObject({ outcome: "success", resultCode: 0, amountPaid: 100 })
  })

  it("accepts any non-empty bearer token and any channel when none are configured", async () => {
    const open = await sandbox()
    expect((await lipiaPush(open, lipiaBody(), "whatever")).status).toBe(200)
    expect((await lipwaPush(open, lipwaBody({ channel_id: "CH_ANY" }), "anything")).status).toBe(201)
  })
})

// ---------------------------------------------------------------- control API

describe("Control API", () => {
  it("lists payments and finds one by reference, checkout id or external reference", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010", external_reference: "order_9" }))
    const ref = push.data.data.TransactionReference
    const list = await client.get(`${sb.url}/__sandbox/payments`)
    expect(list.data.payments).toHaveLength(1)
    const checkoutId = list.data.payments[0].checkoutRequestId
    for (const key of [ref, checkoutId, "order_9"]) {
      const res = await client.get(`${sb.url}/__sandbox/payments/${encodeURIComponent(key)}`)
      expect(res.status).toBe(200)
      expect(res.data.ref).toBe(ref)
      expect(sb.payment(key)?.ref).toBe(ref)
    }
    expect((await client.get(`${sb.url}/__sandbox/payments/nope`)).status).toBe(404)
  })

  it("refuses to settle a payment twice with 409", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010" }))
    const id = push.data.CheckoutRequestID
    expect((await client.post(`${sb.url}/__sandbox/payments/${id}/settle`, { outcome: "success" })).status).toBe(200)
    const again = await client.post(`${sb.url}/__sandbox/payments/${id}/settle`, { outcome: "cancelled" })
    expect(again.status).toBe(409)
    expect(again.data).toEqual({ message: expect.any(String) })
    await expect(sb.settle(id, "success")).rejects.toMatchObject({ status: 409 })
  })

  it("rejects an unknown outcome (400) and an unknown payment (404)", async () => {
    const push = await lipwaPush(sb, lipwaBody({ phone_number: "0700000010" }))
    const bad = await client.post(`${sb.url}/__sandbox/payments/${push.data.CheckoutRequestID}/settle`, { outcome: "maybe" })
    expect(bad.status).toBe(400)
    const unknown = await client.post(`${sb.url}/__sandbox/payments/ws_CO_nope/settle`, { outcome: "success" })
    expect(unknown.status).toBe(404)
  })

  it("settles for a chosen amount", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000010", amount: 1000 }))
    const ref = push.data.data.TransactionReference
    await client.post(`${sb.url}/__sandbox/payments/${ref}/settle`, { outcome: "success", amount: 999 })
    expect((await lipiaStatus(sb, ref)).data.data.response.Amount).toBe(999)
  })

  it("records every request without the Authorization header", async () => {
    await lipiaPush(sb, lipiaBody({ phone_number: "0700000010" }))
    await lipwaStatus(sb, "ws_CO_x")
    await client.get(`${sb.url}/__sandbox/payments`)
    const res = await client.get(`${sb.url}/__sandbox/requests`)
    const requests = res.data.requests
    expect(requests.slice(0, 3)).toEqual([
      {
        api: "lipia",
        method: "POST",
        path: "/lipia/api/v2/payments/stk-push",
        query: {},
        status: 200,
        body: lipiaBody({ phone_number: "0700000010" }),
        at: expect.stringMatching(ISO),
      },
      expect.objectContaining({ api: "lipwa", method: "GET", path: "/lipwa/api/status", query: { ref: "ws_CO_x" }, status: 404 }),
      expect.objectContaining({ api: "control", method: "GET", path: "/__sandbox/payments", status: 200 }),
    ])
    const everything = JSON.stringify([sb.requests(), res.data, sb.payments()])
    expect(everything).not.toContain(LIPIA_KEY)
    expect(everything).not.toContain(LIPWA_KEY)
  })

  it("exposes callbacks over HTTP and forgets everything on reset", async () => {
    const push = await lipiaPush(sb, lipiaBody({ phone_number: "0700000000", callback_url: `${receiver.url}/cb` }))
    await sb.waitFor(() => sb.callbacks().length === 1)
    const callbacks = await client.get(`${sb.url}/__sandbox/callbacks`)
    expect(callbacks.data.callbacks).toEqual([expect.objectContaining({ ref: push.data.data.TransactionReference })])

    await client.post(`${sb.url}/__sandbox/faults`, { api: "lipia", mode: "http_500" })
    expect((await client.post(`${sb.url}/__sandbox/reset`)).status).toBe(200)
    expect(sb.payments()).toEqual([])
    expect(sb.callbacks()).toEqual([])
    expect(sb.requests()).toEqual([])
    expect((await lipiaPush(sb, lipiaBody())).status).toBe(200)
  })
})

// ---------------------------------------------------------------- faults

describe("Faults", () => {
  it("http_500 answers the next matching request with the Lipia error envelope and creates no payment", async () => {
    sb.injectFault({ api: "lipia", path: "/payments/stk-push", mode: "http_500" })
    const res = await lipiaPush(sb, lipiaBody())
    expect(res.status).toBe(500)
    expect(res.data).toMatchObject({ success: false, status: "error", error: { code: "INTERNAL_ERROR" } })
    expect(sb.payments()).toHaveLength(0)
    expect((await lipiaPush(sb, lipiaBody())).status).toBe(200)
    expect(sb.requests().map((r) => [r.status, r.fault])).toEqual([
      [500, "http_500"],
      [200, undefined],
    ])
  })

  it("http_503 on Lipwa answers { message } with 503, as many times as asked", async () => {
    sb.injectFault({ api: "lipwa", mode: "http_503", times: 2 })
    expect((await lipwaPush(sb, lipwaBody())).status).toBe(503)
    const second = await lipwaTransactions(sb)
    expect(second.status).toBe(503)
    expect(second.data).toEqual({ message: expect.any(String) })
    expect((await lipwaPush(sb, lipwaBody())).status).toBe(201)
    expect(sb.payments()).toHaveLength(1)
  })

  it("matches the path by suffix only", async () => {
    sb.injectFault({ api: "lipia", path: "/payments/status", mode: "http_503" })
    const push = await lipiaPush(sb, lipiaBody())
    expect(push.status).toBe(200)
    const status = await lipiaStatus(sb, push.data.data.TransactionReference)
    expect(status.status).toBe(503)
    expect(status.data.error.code).toBe("SERVICE_UNAVAILABLE")
  })

  it("malformed_json answers 200 with a body that is not JSON", async () => {
    sb.injectFault({ api: "lipia", mode: "malformed_json" })
    const res = await client.post(`${sb.lipiaBaseUrl}/payments/stk-push`, lipiaBody(), {
      ...auth(LIPIA_KEY),
      responseType: "text",
      transformResponse: [(data) => data],
    })
    expect(res.status).toBe(200)
    expect(() => JSON.parse(res.data)).toThrow()
    expect(sb.payments()).toHaveLength(0)
  })

  it("reset destroys the socket before any answer", async () => {
    sb.injectFault({ api: "lipwa", path: "/payments", mode: "reset" })
    await expect(lipwaPush(sb, lipwaBody())).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) })
    expect(sb.payments()).toHaveLength(0)
    expect(sb.requests()).toEqual([expect.objectContaining({ api: "lipwa", status: null, fault: "reset" })])
  })

  it("delay answers normally once the delay has passed", async () => {
    sb.injectFault({ api: "lipwa", path: "/payments", mode: "delay", delayMs: 250 })
    const started = Date.now()
    const res = await lipwaPush(sb, lipwaBody())
    expect(Date.now() - started).toBeGreaterThanOrEqual(240)
    expect(res.status).toBe(201)
    expect(sb.payment(res.data.CheckoutRequestID)).toBeDefined()
    expect(sb.requests()[0]).toMatchObject({ status: 201, fault: "delay" })
  })

  it("close() does not wait for a delayed request", async () => {
    const lines: string[] = []
    const own = await sandbox({ logger: (line) => lines.push(line) })
    own.injectFault({ api: "lipia", mode: "delay", delayMs: 60_000 })
    const pending = lipiaPush(own, lipiaBody(), "k").catch((err) => err)
    await own.waitFor(() => lines.some((line) => line.includes("delaying 60000 ms")))
    // Had close() waited for the delayed request, it would resolve 60 s from now, long after
    // this test's timeout: resolving at all is the proof, with no clock margin to read.
    await own.close()
    expect(await pending).toBeInstanceOf(Error)
    expect(own.payments()).toHaveLength(0)
  })

  it("rejects an invalid fault", async () => {
    expect(() => sb.injectFault({ api: "lipia", mode: "explode" as never })).toThrow(/Invalid fault/)
    const res = await client.post(`${sb.url}/__sandbox/faults`, { api: "mpesa", mode: "reset" })
    expect(res.status).toBe(400)
  })
})

// ---------------------------------------------------------------- Lipia not-found window

describe("Lipia not-found window", () => {
  it("answers NOT_FOUND for a fresh push until lipiaNotFoundForMs has passed", async () => {
    const slow = await sandbox({ lipiaNotFoundForMs: 300 })
    const push = await lipiaPush(slow, lipiaBody({ phone_number: "0700000010" }), "k")
    const pushedAt = Date.now()
    const early = await lipiaStatus(slow, push.data.data.TransactionReference, "k")
    expect(early.status).toBe(404)
    expect(early.data.error.code).toBe("NOT_FOUND")

    await slow.waitFor(() => Date.now() > pushedAt + 320)
    const later = await lipiaStatus(slow, push.data.data.TransactionReference, "k")
    expect(later.status).toBe(200)
    expect(later.data.data.response.Status).toBe("PENDING")
  })
})

// ---------------------------------------------------------------- phone page & lifecycle

describe("Phone page and lifecycle", () => {
  it("serves a self-contained phone page that approves and declines through the control API", async () => {
    const res = await client.get(`${sb.url}/phone`, { responseType: "text" })
    expect(res.status).toBe(200)
    expect(res.headers["content-type"]).toMatch(/text\/html/)
    const html: string = res.data
    expect(html).toMatch(/Approve/)
    expect(html).toMatch(/Decline/)
    expect(html).toContain("/__sandbox/payments")
    expect(html).toContain("2000")
    expect(html).not.toMatch(/(src|href)=["']?https?:/)
  })

  it("answers unknown paths outside the APIs with 404", async () => {
    expect((await client.get(`${sb.url}/nothing-here`)).status).toBe(404)
  })

  it("masks phone numbers in its log lines", async () => {
    const lines: string[] = []
    const logged = await sandbox({ logger: (line) => lines.push(line), approveDelayMs: 10 })
    const push = await lipiaPush(logged, lipiaBody({ phone_number: "0712345678" }), "k")
    await logged.waitFor(() => logged.payment(push.data.data.TransactionReference)!.status === "success")
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join("\n")).toContain("2547******78")
    expect(lines.join("\n")).not.toMatch(/712345678|0712345678/)
  })

  it("closes cleanly, more than once", async () => {
    const own = await sandbox({ approveDelayMs: 60_000 })
    await lipiaPush(own, lipiaBody(), "k")
    await own.close()
    await own.close()
    await expect(client.get(`${own.url}/phone`)).rejects.toBeDefined()
  })
})
