import { bodyAsReceived, CALLBACK_BODY_LIMIT, keptHeaders, loggableId, LOGGED_ID_LIMIT, maskPhonesIn, namedIdOf } from "../callback-record"

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

describe("an id from a callback URL, as the server log shows it", () => {
  it.each([
    ["mpatt_01JF8ZQ4X2V7K9M3N5P6R8T0WY", "mpatt_01JF8ZQ4X2V7K9M3N5P6R8T0WY"],
    ["payses_01JF8ZQ4X2V7K9M3N5P6R8T0WY", "payses_01JF8ZQ4X2V7K9M3N5P6R8T0WY"],
    [undefined, "-"],
    ["", "-"],
  ])("shows an id this store could have made as it is: %s", (id, shown) => {
    expect(loggableId(id)).toBe(shown)
  })

  it("cuts a long one to the limit", () => {
    const shown = loggableId("A".repeat(1_000_000))
    expect(shown).toBe(`${"A".repeat(LOGGED_ID_LIMIT)}…`)
    expect(LOGGED_ID_LIMIT).toBe(40)
  })

  it.each([
    ["a forged second log line", "mpatt_x\n2026-12-06 info: payment captured"],
    ["a terminal escape", "\u001b[31mmpatt_x"],
    ["spaces and quotes", 'mpatt_x" or "1"="1'],
    ["a long id with one bad character at its end", `${"A".repeat(5_000)}\r`],
    ["a repeated parameter (an array)", ["mpatt_a", "mpatt_b"]],
    ["a nested parameter (an object)", { $ne: null }],
  ])("shows (malformed) for %s", (_, id) => {
    expect(loggableId(id)).toBe("(malformed)")
  })

  it("masks a phone number sent as the id", () => {
    expect(loggableId("254712345678")).toBe("2547******78")
    expect(loggableId("0712345678")).toBe("07******78")
  })
})
