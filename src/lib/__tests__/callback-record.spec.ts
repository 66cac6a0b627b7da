import { bodyAsReceived, CALLBACK_BODY_LIMIT, keptHeaders, maskPhonesIn, namedIdOf } from "../callback-record"

describe("the callback log keeps no phone number whole", () => {
  it.each([
    ['{"PhoneNumber":254712345678}', '{"PhoneNumber":2547******78}'],
    ['{"phone":"254712345678"}', '{"phone":"2547******78"}'],
    ['{"phone":"+254712345678"}', '{"phone":"2547******78"}'],
    ['{"phone":"0712345678"}', '{"phone":"07******78"}'],
    ['{"phone":"0112345678"}', '{"phone":"01******78"}'],
    ["Received Kes 500 from 254187079824", "Received Kes 500 from 2541******24"],
  ])("%s → %s", (text, masked) => {
    expect(maskPhonesIn(text)).toBe(masked)
  })

  it.each([
    ['{"receipt":"THK75EOH2Z"}'],
    ['{"amount":1050,"ResultCode":1032}'],
    ['{"reference":"ws_CO_200820251228371117077820"}'],
    ['{"transaction_id":"TR_0712345678"}'],
  ])("leaves what is not a phone alone: %s", (text) => {
    expect(maskPhonesIn(text)).toBe(text)
  })
})

describe("bodyAsReceived", () => {
  it("keeps the raw bytes, not a re-serialisation (key order, spacing)", () => {
    expect(bodyAsReceived(Buffer.from('{ "b": 1,  "a": 2 }'), { a: 2, b: 1 })).toBe('{ "b": 1,  "a": 2 }')
  })

  it("falls back to the parsed body, and to nothing", () => {
    expect(bodyAsReceived(undefined, { a: 1 })).toBe('{"a":1}')
    expect(bodyAsReceived(undefined, undefined)).toBe("")
  })

  it("cuts a huge body and says how long it was", () => {
    const kept = bodyAsReceived("x".repeat(CALLBACK_BODY_LIMIT + 10), undefined)
    expect(kept.startsWith("x".repeat(CALLBACK_BODY_LIMIT))).toBe(true)
    expect(kept).toContain(`[cut: ${CALLBACK_BODY_LIMIT + 10} characters received]`)
  })
})

describe("keptHeaders", () => {
  it("keeps where it came from and drops credentials", () => {
    const kept = keptHeaders({
      "content-type": "application/json",
      "user-agent": "axios/1.7",
      "x-forwarded-for": "41.90.1.2, 10.0.0.1",
      authorization: "Bearer secret",
      cookie: "connect.sid=abc",
      "x-api-key": "k",
    })
    expect(kept).toEqual({ "content-type": "application/json", "user-agent": "axios/1.7", "x-forwarded-for": "41.90.1.2, 10.0.0.1" })
  })
})

describe("namedIdOf", () => {
  it.each([
    [{ attempt_id: "mpatt_1", sig: "x" }, "mpatt_1"],
    [{ session_id: "payses_1" }, "payses_1"],
    [{ sig: "x" }, null],
    [{ attempt_id: ["a", "b"] }, null],
  ])("%j → %s", (query, named) => {
    expect(namedIdOf(query)).toBe(named)
  })
})
