import { alreadyRecordedMessage, answersKnownPromptMessage, checkRecording, findTransaction, normaliseReceipt, RECEIPT_PATTERN } from "../recorded-payment"

const listed = [
  { receipt: "THK75EOH2Z", amount: 1050, reference: "ws_CO_200820251228371117077820", phone: "254187079824", paidAt: "2025-08-20T12:28:48+03:00" },
  { receipt: "THK86OFIMS", amount: 500, reference: "ws_CO_200820251652424117077820", phone: "254734479920", paidAt: "2025-08-20T16:52:54+03:00" },
]
/** The order the receipts are recorded for: created a few minutes before the first listed payment. */
const order = { label: "Order #12", created_at: new Date("2025-08-20T09:25:00Z") }
const lipwa = (extra: { receipt?: string; amount?: number; outstanding?: number; listed?: typeof listed; order?: typeof order } = {}) =>
  checkRecording({ receipt: "THK75EOH2Z", outstanding: 1050, label: "Lipwa", listed, order, ...extra })
const lipia = (extra: { amount?: number; note?: string; outstanding?: number } = {}) =>
  checkRecording({ receipt: "THK75EOH2Z", outstanding: 1050, label: "Lipia Online", listed: undefined, order, ...extra })

describe("recording a payment made outside the prompt", () => {
  it.each([
    ["thk75eoh2z", "THK75EOH2Z"],
    ["  THK75EOH2Z ", "THK75EOH2Z"],
  ])("reads the receipt %j as M-Pesa prints it", (typed, printed) => {
    expect(normaliseReceipt(typed)).toBe(printed)
    expect(RECEIPT_PATTERN.test(normaliseReceipt(typed))).toBe(true)
  })

  it("finds a listed receipt whatever its case", () => {
    expect(findTransaction([{ ...listed[0], receipt: "thk75eoh2z" }], "THK75EOH2Z")).toMatchObject({ amount: 1050 })
  })

  it("takes a listed payment's own amount, date, phone and reference (Lipwa)", () => {
    expect(lipwa({ receipt: "thk75eoh2z" })).toEqual({
      ok: true,
      amount: 1050,
      paid_at: new Date("2025-08-20T09:28:48Z"),
      phone: "254187079824",
      reference: "ws_CO_200820251228371117077820",
      attested: false,
    })
  })

  it.each([
    // case, input → code, message
    ["a receipt the account never received", { receipt: "TAA0000000" }, "MPESA_RECEIPT_NOT_FOUND", /TAA0000000 is not among the payments Lipwa lists/],
    ["a receipt for less than is owed", { receipt: "THK86OFIMS" }, "MPESA_RECEIPT_AMOUNT_MISMATCH", /THK86OFIMS is for KES 500; Order #12 owes KES 1,050/],
    ["an amount entered that the receipt is not for", { amount: 1000 }, "MPESA_RECEIPT_AMOUNT_MISMATCH", /is for KES 1,050, not the KES 1,000 entered/],
    ["a receipt for more than is owed", { outstanding: 900 }, "MPESA_RECEIPT_AMOUNT_MISMATCH", /Order #12 owes KES 900/],
    ["money going out of the account", { listed: [{ ...listed[0], type: "Debit" }] }, "MPESA_RECEIPT_NOT_A_PAYMENT", /money going out of the account \(Lipwa lists it as a Debit\).*Order #12/],
    ["a payment made before the order existed", { order: { ...order, created_at: new Date("2025-08-20T09:40:00Z") } }, "MPESA_RECEIPT_TOO_OLD", /before Order #12 was created/],
  ])("refuses %s (Lipwa)", (_case, input, code, message) => {
    expect(lipwa(input)).toEqual({ ok: false, code, message: expect.stringMatching(message) })
  })

  it("takes a credit paid within the clock skew before the order was created", () => {
    expect(lipwa({ listed: [{ ...listed[0], type: "Credit" }], order: { ...order, created_at: new Date("2025-08-20T09:32:00Z") } })).toMatchObject({ ok: true })
  })

  it("records on the merchant's word where the gateway cannot look receipts up (Lipia): attested, no date, no phone", () => {
    expect(lipia({ amount: 1050, note: "Seen in the M-Pesa statement" })).toEqual({ ok: true, amount: 1050, paid_at: null, phone: null, reference: null, attested: true })
  })

  it.each([
    ["no amount", { note: "Seen in the statement" }, /enter the amount received \(Order #12 owes KES 1,050\)\.$/],
    ["no note", { amount: 1050 }, /enter a note of at least 3 characters/],
    ["a note of blanks", { amount: 1050, note: "   " }, /a note of at least 3 characters/],
    ["neither", {}, /the amount received .* and a note/],
  ])("asks for what is missing when recording on the merchant's word: %s (a 400, no code)", (_case, input, message) => {
    const checked = lipia(input)
    expect(checked).toEqual({ ok: false, message: expect.stringMatching(message) })
    expect(checked).toEqual({ ok: false, message: expect.stringMatching(/marked as attested by you/) })
  })

  it("refuses an attested amount that is not what is owed", () => {
    expect(lipia({ amount: 500, note: "Seen in the statement" })).toEqual({
      ok: false,
      code: "MPESA_RECEIPT_AMOUNT_MISMATCH",
      message: expect.stringMatching(/You entered KES 500; Order #12 owes KES 1,050/),
    })
  })

  it.each([
    [{ id: "mpatt_1", order_id: "order_1", cart_id: "cart_1" }, "Order #4", /already recorded on Order #4: one M-Pesa payment can pay only once/],
    [{ id: "mpatt_2", order_id: null, cart_id: "cart_2" }, undefined, /already recorded for a cart that is not yet an order/],
    [{ id: "mpatt_3", order_id: null, cart_id: null }, undefined, /already recorded without an order yet/],
    [{ id: "mpatt_4", order_id: null, cart_id: "cart_4", unverified: true, resolved_at: null }, undefined, /unverified payment claim: .*press Accept/],
  ])("says where a receipt already recorded is: %o", (attempt, label, message) => {
    expect(alreadyRecordedMessage("thk75eoh2z", attempt, label)).toMatch(message)
  })

  it.each([
    [{ id: "mpatt_5", order_id: "order_01JX", cart_id: null }, undefined, /already recorded on an order:/],
  ])("never names an order by its id: %o", (attempt, label, message) => {
    const words = alreadyRecordedMessage("thk75eoh2z", attempt, label)
    expect(words).toMatch(message)
    expect(words).not.toMatch(/order_|mpatt_/)
  })

  it.each([
    [{ stateWords: "Failed", orderLabel: "Order #7" }, /THK75EOH2Z pays a payment prompt the store sent for Order #7 \(now “Failed”\): search the M-Pesa page for #7 and press Re-check/],
    [{ stateWords: "Waiting for the customer's PIN", orderLabel: "Draft order #3" }, /sent for Draft order #3 .*search the M-Pesa page for #3/],
    [{ stateWords: "Expired unanswered" }, /pays a payment prompt the store sent \(now “Expired unanswered”\): find it on the M-Pesa page/],
  ])("a receipt that pays a known prompt points to it by order number: %o", (prompt, message) => {
    const words = answersKnownPromptMessage("thk75eoh2z", prompt)
    expect(words).toMatch(message)
    expect(words).not.toMatch(/order_|mpatt_/)
  })
})
