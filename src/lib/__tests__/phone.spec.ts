import { checkSafaricomPhone, localForm, maskPhone, redactPhones } from "../phone"

describe("checkSafaricomPhone", () => {
  it.each([
    ["0712345678", "254712345678"],
    ["0112345678", "254112345678"],
    ["254712345678", "254712345678"],
    ["254112345678", "254112345678"],
    ["+254712345678", "254712345678"],
    ["+254112345678", "254112345678"],
    ["0712 345 678", "254712345678"],
    ["+254 712-345-678", "254712345678"],
    ["(0712) 345.678", "254712345678"],
    [" 0722000000 ", "254722000000"],
    ["0790123456", "254790123456"],
    ["0757123456", "254757123456"],
    ["0768123456", "254768123456"],
    [254712345678, "254712345678"],
  ])("accepts %p as %s", (input, msisdn) => {
    expect(checkSafaricomPhone(input)).toEqual({ ok: true, msisdn })
  })

  it.each([
    ["071234567", "too short"],
    ["07123456789", "too long"],
    ["0812345678", "not a mobile prefix"],
    ["712345678", "missing the leading 0"],
    ["+255712345678", "Tanzanian"],
    ["2540712345678", "country code and trunk 0 together"],
    ["0712abc678", "letters"],
    ["++254712345678", "double plus"],
    [{ phone: "0712345678" }, "not a string"],
    [true, "not a string"],
  ])("rejects %p (%s) as invalid", (input) => {
    const result = checkSafaricomPhone(input)
    expect(result).toMatchObject({ ok: false, code: "MPESA_INVALID_PHONE" })
    expect(!result.ok && result.message).toMatch(/Safaricom/)
  })

  it.each([undefined, null, "", "   "])("asks for a number when given %p", (input) => {
    expect(checkSafaricomPhone(input)).toMatchObject({ ok: false, code: "MPESA_MISSING_PHONE" })
  })

  it.each([
    ["0733123456", "Airtel"],
    ["0754123456", "Airtel"],
    ["0785123456", "Airtel"],
    ["0100123456", "Airtel"],
    ["0772123456", "Telkom"],
    ["0765123456", "Equitel"],
  ])("rejects %s as a %s number, saying why", (input, network) => {
    const result = checkSafaricomPhone(input)
    expect(result).toMatchObject({ ok: false, code: "MPESA_NOT_SAFARICOM" })
    expect(!result.ok && result.message).toContain(network)
    expect(!result.ok && result.message).toContain(input)
  })
})

describe("maskPhone", () => {
  it.each([
    ["254712345678", "2547******78"],
    ["0712345678", "07******78"],
    ["+254 712 345 678", "2547******78"],
    ["12345", "*****"],
    [undefined, ""],
  ])("masks %p as %p", (input, masked) => {
    expect(maskPhone(input)).toBe(masked)
  })

  it("never shows the middle digits", () => {
    expect(maskPhone("254712345678")).not.toContain("123456")
  })
})

describe("localForm", () => {
  it("turns 2547… into 07…", () => {
    expect(localForm("254712345678")).toBe("0712345678")
  })
})

describe("redactPhones: a note keeps its words, never a whole phone number", () => {
  it.each([
    ["0712345678", "07******78"],
    ["0112345678", "01******78"],
    ["254712345678", "2547******78"],
    ["254112345678", "2541******78"],
    ["+254712345678", "2547******78"],
    ["+254112345678", "2541******78"],
    ["00254712345678", "2547******78"],
    ["0712 345 678", "07******78"],
    ["0712-345-678", "07******78"],
    ["07 12 34 56 78", "07******78"],
    ["0712.345.678", "07******78"],
    ["(0712) 345 678", "07******78"],
    ["+254 712 345 678", "2547******78"],
    ["+254-712-345-678", "2547******78"],
    ["+254 7 12 34 56 78", "2547******78"],
    ["254 712 345678", "2547******78"],
    ["+254 (0) 712 345 678", "2547******78"],
    ["2540712345678", "2547******78"],
    ["0733123456", "07******56"],
  ])("masks %p as %p", (written, masked) => {
    expect(redactPhones(written)).toBe(masked)
    expect(redactPhones(`Paid from ${written}, see portal.`)).toBe(`Paid from ${masked}, see portal.`)
  })

  it("masks every number in a note, and nothing else", () => {
    expect(redactPhones("Customer 0712 345 678 paid for 0722-000-111 (his wife), receipt QK71234567, KES 1,500")).toBe(
      "Customer 07******78 paid for 07******11 (his wife), receipt QK71234567, KES 1,500"
    )
  })

  it.each([
    ["a receipt", "Receipt TJ712345678 reversed"],
    ["a longer run of digits", "Account 10712345678 and 2547123456789"],
    ["a checkout id", "ws_CO_0712345678901234"],
    ["a number too short", "071234567"],
    ["a landline", "Called 0202345678"],
    ["a date and an amount", "Reversed on 07/12/2026 at 10:30, KES 712345678"],
    ["an order number", "Order #1042 placed by hand"],
    ["nothing", ""],
  ])("leaves %s alone", (_what, text) => {
    expect(redactPhones(text)).toBe(text)
  })
})
