import { parseMpesaStatus } from "../contract"
import { mpesaPaymentStatus, type MedusaSdkLike } from "../start-payment"

const answer = { id: "payses_1", status: "paid", message: "Payment received. Thank you!", receipt: "TLP4ABC123", order_id: "order_1", expires_at: "2026-12-03T10:02:00.000Z" }

describe("reading the poll's answer (parseMpesaStatus)", () => {
  it("keeps every field of the contract", () => {
    expect(parseMpesaStatus(answer)).toEqual(answer)
  })

  it("needs only id, status and message; an absent or null optional field is left out", () => {
    expect(parseMpesaStatus({ id: "payses_1", status: "pending", message: "", receipt: null })).toEqual({ id: "payses_1", status: "pending", message: "" })
  })

  it("keeps nothing the contract does not name", () => {
    expect(parseMpesaStatus({ ...answer, state: "paid", data: { secret: 1 } })).toEqual(answer)
  })

  it.each([
    ["not an object", "ok"],
    ["null", null],
    ["a list", [answer]],
    ["no id", { ...answer, id: undefined }],
    ["an unknown status", { ...answer, status: "amount_mismatch" }],
    ["no message", { ...answer, message: undefined }],
    ["a receipt that is not text", { ...answer, receipt: 42 }],
    ["an expiry that is not a time", { ...answer, expires_at: "soon" }],
  ])("refuses %s", (_what, body) => {
    expect(() => parseMpesaStatus(body)).toThrow(/Not an M-Pesa payment status/)
  })
})

describe("mpesaPaymentStatus", () => {
  const sdk = (body: unknown): MedusaSdkLike => ({ client: { fetch: async <T>() => body as T } })

  it("answers the parsed status", async () => {
    await expect(mpesaPaymentStatus(sdk({ ...answer, extra: true }), "payses_1")).resolves.toEqual(answer)
  })

  it("rejects an answer that is not the contract's, as a failed poll", async () => {
    await expect(mpesaPaymentStatus(sdk("<html>Bad gateway</html>"), "payses_1")).rejects.toThrow(/Not an M-Pesa payment status/)
  })
})
