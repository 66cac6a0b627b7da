/**
 * Payments made to the merchant's Paybill or Till outside any prompt, as a store sees them over
 * real HTTP with plain axios: in Lipwa's transactions list, in its documented shape
 * (reference/lipwa-api.txt, "Get Account Transactions"), and nowhere a prompt would be.
 */
import axios from "axios"

import { type Sandbox, startSandbox } from "../index"

const KEY = "lipwa-till-key"
const OTHER_KEY = "lipwa-other-till-key"
const CHANNEL = "CH_TILL"
const NAIROBI = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/
const RECEIPT = /^[A-Z][A-Z0-9]{9}$/

const client = axios.create({ validateStatus: () => true, proxy: false })
const auth = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } })

let sb: Sandbox

beforeAll(async () => {
  sb = await startSandbox({ approveDelayMs: 20, lipwaApiKeys: [KEY, OTHER_KEY], lipwaChannels: [CHANNEL] })
})
afterAll(() => sb.close())
beforeEach(() => sb.reset())

const transactions = async (key = KEY) => (await client.get(`${sb.lipwaBaseUrl}/transactions`, auth(key))).data.transactions

describe("a payment to the merchant's Paybill or Till", () => {
  it("is listed in Lipwa's transactions in exactly the documented shape", async () => {
    const paid = sb.recordTillPayment({ phone: "0718 707 982", amount: 1050, receipt: "thk75eoh2z" })

    expect(await transactions()).toEqual([
      {
        transaction_id: "TR_THK75EOH2Z",
        description: "Received Kes 1050 from 254718707982",
        amount: 1050,
        transaction_type: "Credit",
        phone: 254718707982,
        reference: paid.ref,
        receipt_number: "THK75EOH2Z",
        payment_date: expect.stringMatching(NAIROBI),
      },
    ])
    expect(paid).toMatchObject({ api: "lipwa", channel: "till", status: "success", amount: 1050, amountPaid: 1050, receipt: "THK75EOH2Z", maskedPhone: "2547******82", magic: null })
  })

  it("rings no phone and calls no store back, and the status API (which follows prompts) does not know it", async () => {
    const paid = sb.recordTillPayment({ phone: "254700000010", amount: 500 })

    expect(sb.callbacks()).toEqual([])
    expect((await client.get(`${sb.lipwaBaseUrl}/status?ref=${paid.ref}`, auth(KEY))).status).toBe(404)
    expect(paid.receipt).toMatch(RECEIPT)
  })

  it("is listed newest first among the prompts' payments", async () => {
    const push = await client.post(`${sb.lipwaBaseUrl}/payments`, { amount: 300, phone_number: "0700000010", channel_id: CHANNEL }, auth(KEY))
    sb.recordTillPayment({ phone: "0712345678", amount: 1200 })
    await sb.settle(push.data.CheckoutRequestID, "success")

    expect((await transactions()).map((t: { amount: number }) => t.amount)).toEqual([300, 1200])
  })

  it("is listed by every account, or by one API key's account only when it names the key", async () => {
    sb.recordTillPayment({ phone: "0712345678", amount: 100, receipt: "TAA0000001" })
    sb.recordTillPayment({ phone: "0712345678", amount: 200, receipt: "TAA0000002", apiKey: OTHER_KEY })

    expect((await transactions(KEY)).map((t: { receipt_number: string }) => t.receipt_number)).toEqual(["TAA0000001"])
    expect((await transactions(OTHER_KEY)).map((t: { receipt_number: string }) => t.receipt_number)).toEqual(["TAA0000002", "TAA0000001"])
  })

  it.each([
    ["a number that is not Safaricom's form", { phone: "12345", amount: 100 }, 400, /phone/],
    ["an amount that is not whole shillings", { phone: "0712345678", amount: 10.5 }, 400, /amount/],
    ["no amount at all", { phone: "0712345678", amount: 0 }, 400, /amount/],
    ["a receipt that is not 10 letters and digits", { phone: "0712345678", amount: 100, receipt: "THK-75" }, 400, /receipt/],
  ])("refuses %s", (_case, payment, status, message) => {
    expect(() => sb.recordTillPayment(payment)).toThrow(expect.objectContaining({ status, message: expect.stringMatching(message) }))
    expect(sb.payments()).toEqual([])
  })

  it("refuses a receipt another payment already has (one receipt, one payment)", () => {
    sb.recordTillPayment({ phone: "0712345678", amount: 100, receipt: "TAA0000001" })

    expect(() => sb.recordTillPayment({ phone: "0712345678", amount: 100, receipt: "taa0000001" })).toThrow(expect.objectContaining({ status: 409 }))
  })

  it("is recorded through the control API too, which never keeps the key it was given", async () => {
    const created = await client.post(`${sb.url}/__sandbox/till-payments`, { phone: "0712345678", amount: 750, receipt: "TAA0000003", api_key: KEY })

    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({ channel: "till", receipt: "TAA0000003", amount: 750 })
    expect((await transactions(KEY)).map((t: { receipt_number: string }) => t.receipt_number)).toEqual(["TAA0000003"])
    expect(await transactions(OTHER_KEY)).toEqual([])
    expect(JSON.stringify(sb.requests())).not.toContain(KEY)
    const bad = await client.post(`${sb.url}/__sandbox/till-payments`, { phone: "0712345678" })
    expect(bad).toMatchObject({ status: 400, data: { message: expect.stringMatching(/phone, amount/) } })
    const refused = await client.post(`${sb.url}/__sandbox/till-payments`, { phone: "0712345678", amount: 750, receipt: "TAA0000003" })
    expect(refused.status).toBe(409)
  })
})
