/**
 * The sandbox's own STK push input rules (stk-push-rules.ts) and phone masking, table by table,
 * against the vendors' documents: Lipia takes 07…, 01…, 2547…, 2541…, +2547…, +2541… and a
 * whole amount of at least 1 (reference/lipia-stk-push.txt); Lipwa takes 254…, 07…, 01… and a
 * whole amount of at least 10 (reference/lipwa-api.txt). Expected texts are written out here on
 * purpose rather than imported, so a changed text fails a test.
 */
import fs from "node:fs"
import path from "node:path"
import axios from "axios"
import { type Sandbox, startSandbox } from "../index"
import { maskPhone } from "../mask-phone"
import { type PhoneVerdict, STK_PUSH_RULES, checkPushPhone, pushAmountAccepted } from "../stk-push-rules"

type Api = "lipia" | "lipwa"
const BOTH: Api[] = ["lipia", "lipwa"]

// ---------------------------------------------------------------- phone numbers

const ok = (msisdn: string): PhoneVerdict => ({ ok: true, msisdn })
const FORMAT: PhoneVerdict = { ok: false, reason: "format" }
const NOT_A_STRING: PhoneVerdict = { ok: false, reason: "not_a_string" }
const other = (network: string): PhoneVerdict => ({ ok: false, reason: "other_network", network })

/** [input, Lipia's verdict, Lipwa's verdict] */
const PHONES: Array<[unknown, PhoneVerdict, PhoneVerdict]> = [
  // The documented spellings.
  ["0712345678", ok("254712345678"), ok("254712345678")],
  ["0112345678", ok("254112345678"), ok("254112345678")],
  ["254712345678", ok("254712345678"), ok("254712345678")],
  ["254112345678", ok("254112345678"), ok("254112345678")],
  ["+254712345678", ok("254712345678"), FORMAT],
  ["+254112345678", ok("254112345678"), FORMAT],
  // Magic numbers and other Safaricom ranges, including the edges of the refused ranges.
  ["0700000000", ok("254700000000"), ok("254700000000")],
  ["0700000010", ok("254700000010"), ok("254700000010")],
  ["0722000111", ok("254722000111"), ok("254722000111")],
  ["0729999999", ok("254729999999"), ok("254729999999")],
  ["0740000000", ok("254740000000"), ok("254740000000")],
  ["0757123456", ok("254757123456"), ok("254757123456")],
  ["0762123456", ok("254762123456"), ok("254762123456")],
  ["0767123456", ok("254767123456"), ok("254767123456")],
  ["0768123456", ok("254768123456"), ok("254768123456")],
  ["0790000000", ok("254790000000"), ok("254790000000")],
  ["0799999999", ok("254799999999"), ok("254799999999")],
  ["0103123456", ok("254103123456"), ok("254103123456")],
  ["0115123456", ok("254115123456"), ok("254115123456")],
  // Other networks: "must be a valid kenyan safaricom number" / "a valid M-Pesa number".
  ["0730000000", other("Airtel"), other("Airtel")],
  ["0733123456", other("Airtel"), other("Airtel")],
  ["0739999999", other("Airtel"), other("Airtel")],
  ["0750123456", other("Airtel"), other("Airtel")],
  ["0756123456", other("Airtel"), other("Airtel")],
  ["0780123456", other("Airtel"), other("Airtel")],
  ["0789999999", other("Airtel"), other("Airtel")],
  ["0100123456", other("Airtel"), other("Airtel")],
  ["0102123456", other("Airtel"), other("Airtel")],
  ["0763123456", other("Equitel"), other("Equitel")],
  ["0766123456", other("Equitel"), other("Equitel")],
  ["0770123456", other("Telkom"), other("Telkom")],
  ["0779999999", other("Telkom"), other("Telkom")],
  ["254733123456", other("Airtel"), other("Airtel")],
  ["+254780123456", other("Airtel"), FORMAT],
  // Not a documented spelling.
  ["", FORMAT, FORMAT],
  ["12345", FORMAT, FORMAT],
  ["0712", FORMAT, FORMAT],
  ["071234567", FORMAT, FORMAT],
  ["07123456789", FORMAT, FORMAT],
  ["2547123456", FORMAT, FORMAT],
  ["2547123456789", FORMAT, FORMAT],
  ["712345678", FORMAT, FORMAT],
  ["0812345678", FORMAT, FORMAT],
  ["0212345678", FORMAT, FORMAT],
  ["254812345678", FORMAT, FORMAT],
  ["2540712345678", FORMAT, FORMAT],
  ["+0712345678", FORMAT, FORMAT],
  ["00254712345678", FORMAT, FORMAT],
  ["+255712345678", FORMAT, FORMAT],
  ["0712 345 678", FORMAT, FORMAT],
  ["0712-345-678", FORMAT, FORMAT],
  ["(0712) 345678", FORMAT, FORMAT],
  ["0712.345.678", FORMAT, FORMAT],
  ["+254 712 345 678", FORMAT, FORMAT],
  [" 0712345678", FORMAT, FORMAT],
  ["0712345678 ", FORMAT, FORMAT],
  ["0712345678\n", FORMAT, FORMAT],
  ["07l2345678", FORMAT, FORMAT],
  ["٠٧١٢٣٤٥٦٧٨", FORMAT, FORMAT],
  // "phone_number | String" (Lipia), "phone_number string" (Lipwa).
  [254712345678, NOT_A_STRING, NOT_A_STRING],
  [712345678, NOT_A_STRING, NOT_A_STRING],
  [null, NOT_A_STRING, NOT_A_STRING],
  [undefined, NOT_A_STRING, NOT_A_STRING],
  [["0712345678"], NOT_A_STRING, NOT_A_STRING],
  [{ phone: "0712345678" }, NOT_A_STRING, NOT_A_STRING],
]

describe("checkPushPhone", () => {
  it.each(PHONES)("%j → Lipia %j, Lipwa %j", (input, lipia, lipwa) => {
    expect(checkPushPhone("lipia", input)).toEqual(lipia)
    expect(checkPushPhone("lipwa", input)).toEqual(lipwa)
  })
})

// ---------------------------------------------------------------- amounts

/** [amount, accepted by Lipia (minimum 1), accepted by Lipwa (minimum 10)] */
const AMOUNTS: Array<[unknown, boolean, boolean]> = [
  [1, true, false],
  [2, true, false],
  [9, true, false],
  [10, true, true],
  [11, true, true],
  [100, true, true],
  [250000, true, true],
  [Number.MAX_SAFE_INTEGER, true, true],
  [0, false, false],
  [-0, false, false],
  [-1, false, false],
  [-10, false, false],
  [0.5, false, false],
  [1.5, false, false],
  [9.99, false, false],
  [10.5, false, false],
  [Number.MAX_SAFE_INTEGER + 1, false, false],
  [Number.NaN, false, false],
  [Number.POSITIVE_INFINITY, false, false],
  ["100", false, false],
  ["10", false, false],
  [true, false, false],
  [null, false, false],
  [undefined, false, false],
  [[100], false, false],
]

describe("pushAmountAccepted", () => {
  it.each(AMOUNTS)("%p → Lipia %p, Lipwa %p", (amount, lipia, lipwa) => {
    expect(pushAmountAccepted("lipia", amount)).toBe(lipia)
    expect(pushAmountAccepted("lipwa", amount)).toBe(lipwa)
  })

  it.each([
    ["lipia", 1],
    ["lipwa", 10],
  ] as const)("%s's documented minimum is %d", (api, min) => {
    expect(STK_PUSH_RULES[api].minAmount).toBe(min)
  })
})

// ---------------------------------------------------------------- masking

describe("maskPhone", () => {
  it.each([
    ["254712345678", "2547******78"],
    ["254112345678", "2541******78"],
    ["+254712345678", "2547******78"],
    ["0712345678", "07******78"],
    ["0112345678", "01******78"],
    ["0712 345 678", "07******78"],
    ["1234567", "12***67"],
    ["123456", "******"],
    ["12", "**"],
    ["", ""],
  ])("%s → %s", (input, masked) => {
    expect(maskPhone(input)).toBe(masked)
  })
})

// ---------------------------------------------------------------- over HTTP

const client = axios.create({ validateStatus: () => true, proxy: false })
const KEY = "rules-test-key"
const CHANNEL = "CH_RULES"
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

let sb: Sandbox

beforeAll(async () => {
  sb = await startSandbox({ manual: true, lipwaChannels: [CHANNEL], lipwaRateLimit: 1_000_000 })
})

afterAll(() => sb.close())

beforeEach(() => sb.reset())

function push(api: Api, overrides: Record<string, unknown>) {
  const headers = { Authorization: `Bearer ${KEY}` }
  return api === "lipia"
    ? client.post(`${sb.lipiaBaseUrl}/payments/stk-push`, { phone_number: "0712345678", amount: 100, ...overrides }, { headers })
    : client.post(`${sb.lipwaBaseUrl}/payments`, { amount: 100, phone_number: "0712345678", channel_id: CHANNEL, ...overrides }, { headers })
}

/** Lipia's documented VALIDATION_ERROR envelope (reference/lipia-stk-push.txt, "Validation Error"). */
function lipiaValidationError(field: string, value: unknown, expected: string) {
  return {
    success: false,
    status: "error",
    message: "Validation failed",
    customerMessage: "Please check your input and try again",
    error: { code: "VALIDATION_ERROR", field, location: "body", value, expected },
    timestamp: expect.stringMatching(ISO),
  }
}

const LIPIA_PHONE = "valid safaricom kenyan number"
const LIPIA_AMOUNT = "positive integer, minimum 1"
const LIPWA_PHONE = "phone_number must be a valid M-Pesa (Safaricom) number, e.g. 0712345678 or 254712345678"
const LIPWA_AMOUNT = "amount must be a whole number of shillings, minimum 10"

describe("what each API answers for a bad phone number or amount", () => {
  it.each<[string, Api, Record<string, unknown>, number, unknown]>([
    ["Lipia, malformed phone", "lipia", { phone_number: "0712" }, 400, lipiaValidationError("phone_number", "0712", LIPIA_PHONE)],
    ["Lipia, spaced phone", "lipia", { phone_number: "0712 345 678" }, 400, lipiaValidationError("phone_number", "0712 345 678", LIPIA_PHONE)],
    ["Lipia, Airtel phone", "lipia", { phone_number: "+254733123456" }, 400, lipiaValidationError("phone_number", "+254733123456", LIPIA_PHONE)],
    ["Lipia, Telkom phone", "lipia", { phone_number: "0770123456" }, 400, lipiaValidationError("phone_number", "0770123456", LIPIA_PHONE)],
    ["Lipia, numeric phone", "lipia", { phone_number: 254712345678 }, 400, lipiaValidationError("phone_number", 254712345678, LIPIA_PHONE)],
    ["Lipia, missing phone", "lipia", { phone_number: undefined }, 400, lipiaValidationError("phone_number", null, LIPIA_PHONE)],
    ["Lipia, amount 0", "lipia", { amount: 0 }, 400, lipiaValidationError("amount", 0, LIPIA_AMOUNT)],
    ["Lipia, amount -1", "lipia", { amount: -1 }, 400, lipiaValidationError("amount", -1, LIPIA_AMOUNT)],
    ["Lipia, amount 1.5", "lipia", { amount: 1.5 }, 400, lipiaValidationError("amount", 1.5, LIPIA_AMOUNT)],
    ["Lipia, amount '100'", "lipia", { amount: "100" }, 400, lipiaValidationError("amount", "100", LIPIA_AMOUNT)],
    ["Lipia, amount 2^53", "lipia", { amount: 2 ** 53 }, 400, lipiaValidationError("amount", 2 ** 53, LIPIA_AMOUNT)],
    ["Lipia, missing amount", "lipia", { amount: undefined }, 400, lipiaValidationError("amount", null, LIPIA_AMOUNT)],
    ["Lipia, bad phone and bad amount (phone comes first)", "lipia", { phone_number: "1", amount: 0 }, 400, lipiaValidationError("phone_number", "1", LIPIA_PHONE)],
    ["Lipwa, +254 phone", "lipwa", { phone_number: "+254712345678" }, 400, { message: LIPWA_PHONE }],
    ["Lipwa, malformed phone", "lipwa", { phone_number: "0712" }, 400, { message: LIPWA_PHONE }],
    ["Lipwa, spaced phone", "lipwa", { phone_number: "0712 345 678" }, 400, { message: LIPWA_PHONE }],
    ["Lipwa, Airtel phone", "lipwa", { phone_number: "0780123456" }, 400, { message: LIPWA_PHONE }],
    ["Lipwa, numeric phone", "lipwa", { phone_number: 254712345678 }, 400, { message: LIPWA_PHONE }],
    ["Lipwa, missing phone", "lipwa", { phone_number: undefined }, 400, { message: LIPWA_PHONE }],
    ["Lipwa, amount 9", "lipwa", { amount: 9 }, 400, { message: LIPWA_AMOUNT }],
    ["Lipwa, amount 1", "lipwa", { amount: 1 }, 400, { message: LIPWA_AMOUNT }],
    ["Lipwa, amount 0", "lipwa", { amount: 0 }, 400, { message: LIPWA_AMOUNT }],
    ["Lipwa, amount 10.5", "lipwa", { amount: 10.5 }, 400, { message: LIPWA_AMOUNT }],
    ["Lipwa, amount '100'", "lipwa", { amount: "100" }, 400, { message: LIPWA_AMOUNT }],
    ["Lipwa, missing amount", "lipwa", { amount: undefined }, 400, { message: LIPWA_AMOUNT }],
    ["Lipwa, bad amount and bad phone (amount comes first)", "lipwa", { amount: 9, phone_number: "1" }, 400, { message: LIPWA_AMOUNT }],
  ])("%s", async (_name, api, overrides, status, body) => {
    const res = await push(api, overrides)
    expect(res.status).toBe(status)
    expect(res.data).toEqual(body)
    expect(sb.payments()).toHaveLength(0)
  })

  it.each<[Api, Record<string, unknown>, number, string]>([
    ["lipia", { phone_number: "+254712345678" }, 200, "254712345678"],
    ["lipia", { phone_number: "0112345678" }, 200, "254112345678"],
    ["lipia", { amount: 1 }, 200, "254712345678"],
    ["lipia", { amount: 9 }, 200, "254712345678"],
    ["lipwa", { phone_number: "254712345678" }, 201, "254712345678"],
    ["lipwa", { phone_number: "0112345678" }, 201, "254112345678"],
    ["lipwa", { phone_number: "254112345678" }, 201, "254112345678"],
    ["lipwa", { amount: 10 }, 201, "254712345678"],
  ])("%s accepts %j (HTTP %d) and stores the phone as %s", async (api, overrides, status, msisdn) => {
    const res = await push(api, overrides)
    expect(res.status).toBe(status)
    const [payment] = sb.payments()
    expect(payment).toMatchObject({ api, phone: msisdn, maskedPhone: maskPhone(msisdn) })
  })
})

// ---------------------------------------------------------------- independence

describe("the sandbox's independence from the plugin", () => {
  const root = path.resolve(__dirname, "..")
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name)
      return e.isDirectory() ? files(full) : /\.[cm]?[jt]sx?$/.test(e.name) ? [full] : []
    })
  const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm

  it.each(files(root).map((f) => [path.relative(root, f), f]))("%s imports nothing from outside src/sandbox", (_name, file) => {
    const source = fs.readFileSync(file, "utf8")
    const outside = [...source.matchAll(SPECIFIER)]
      .map((m) => m[1])
      .filter((spec) => spec.startsWith(".") && !path.resolve(path.dirname(file), spec).startsWith(root + path.sep))
    expect(outside).toEqual([])
  })

  it("gives both APIs their own rules", () => {
    expect(BOTH.map((api) => STK_PUSH_RULES[api].phonePrefixes)).toEqual([
      ["254", "+254", "0"],
      ["254", "0"],
    ])
  })
})
