import { openSealedPhone, sealPhone } from "../sealed-phone"

const secret = "a-callback-secret-of-at-least-32-characters"
const sealed = sealPhone({ secret, gateway: "lipia", attemptId: "mpatt_01", msisdn: "254712345678" })

describe("sealed phone numbers", () => {
  it("opens to the number it sealed, for the same gateway and attempt", () => {
    expect(openSealedPhone({ secret, gateway: "lipia", attemptId: "mpatt_01", sealed })).toBe("254712345678")
  })

  it("shows the number in no spelling, and never seals it the same way twice", () => {
    expect(sealed).toMatch(/^mpseal1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(sealed).not.toMatch(/712345678|12345678/)
    expect(sealPhone({ secret, gateway: "lipia", attemptId: "mpatt_01", msisdn: "254712345678" })).not.toBe(sealed)
  })

  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1)

  it.each([
    ["another secret", { secret: `${secret}!`, gateway: "lipia", attemptId: "mpatt_01", sealed }],
    ["another attempt", { secret, gateway: "lipia", attemptId: "mpatt_02", sealed }],
    ["another gateway", { secret, gateway: "lipwa", attemptId: "mpatt_01", sealed }],
    ["no attempt", { secret, gateway: "lipia", attemptId: undefined, sealed }],
    ["a changed byte", { secret, gateway: "lipia", attemptId: "mpatt_01", sealed: flip(sealed, sealed.lastIndexOf(".") - 2) }],
    ["a changed tag", { secret, gateway: "lipia", attemptId: "mpatt_01", sealed: flip(sealed, sealed.length - 3) }],
    ["a part missing", { secret, gateway: "lipia", attemptId: "mpatt_01", sealed: sealed.slice(0, sealed.lastIndexOf(".")) }],
    ["another form", { secret, gateway: "lipia", attemptId: "mpatt_01", sealed: sealed.replace("mpseal1", "mpseal2") }],
    ["a number in clear", { secret, gateway: "lipia", attemptId: "mpatt_01", sealed: "254712345678" }],
    ["not a string", { secret, gateway: "lipia", attemptId: "mpatt_01", sealed: 254712345678 }],
  ] as const)("opens to nothing with %s", (_case, options) => {
    expect(openSealedPhone(options)).toBeUndefined()
  })
})
