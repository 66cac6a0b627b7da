import { callbackSignature, signCallbackUrl, verifyCallbackSignature } from "../callback-url"

const secret = "s3cret-s3cret-s3cret-s3cret-s3cret!"
// HMAC-SHA256(secret, "lipia:payses_01"), computed outside this code:
//   echo -n "lipia:payses_01" | openssl dgst -sha256 -hmac 's3cret-s3cret-s3cret-s3cret-s3cret!'
const EXPECTED_SIG = "aa1221919bba6da9f7a1073ba714ac9d5df57f4b8453c83f8d575f85d0e05789"

describe("callbackSignature", () => {
  it("is HMAC-SHA256 of gateway:session_id under the merchant's secret", () => {
    expect(callbackSignature(secret, "lipia", "payses_01")).toBe(EXPECTED_SIG)
  })
})

describe("signCallbackUrl", () => {
  it("builds the per-session route with the session id and its signature", () => {
    const url = new URL(
      signCallbackUrl({ baseUrl: "https://shop.example.co.ke/", secret, gateway: "lipia", sessionId: "payses_01" })
    )
    expect(url.origin + url.pathname).toBe("https://shop.example.co.ke/hooks/mpesa/lipia")
    expect(url.searchParams.get("session_id")).toBe("payses_01")
    expect(url.searchParams.get("sig")).toBe(EXPECTED_SIG)
  })

  it("keeps a base path (a store served under /api)", () => {
    const url = signCallbackUrl({ baseUrl: "https://shop.example/api", secret, gateway: "lipwa", sessionId: "s" })
    expect(url.startsWith("https://shop.example/api/hooks/mpesa/lipwa?")).toBe(true)
  })

  it("never puts the secret in the URL", () => {
    expect(signCallbackUrl({ baseUrl: "https://x", secret, gateway: "lipia", sessionId: "s" })).not.toContain(secret)
  })
})

describe("verifyCallbackSignature", () => {
  const sig = EXPECTED_SIG

  it.each([
    ["the right signature", { gateway: "lipia", id: "payses_01", sig }, true],
    ["upper-case hex", { gateway: "lipia", id: "payses_01", sig: sig.toUpperCase() }, true],
    ["another session's signature", { gateway: "lipia", id: "payses_02", sig }, false],
    ["the other gateway", { gateway: "lipwa", id: "payses_01", sig }, false],
    ["a truncated signature", { gateway: "lipia", id: "payses_01", sig: sig.slice(0, 63) }, false],
    ["no signature", { gateway: "lipia", id: "payses_01", sig: undefined }, false],
    ["an array of signatures", { gateway: "lipia", id: "payses_01", sig: [sig] }, false],
    ["no session", { gateway: "lipia", id: undefined, sig }, false],
    ["a non-hex signature", { gateway: "lipia", id: "payses_01", sig: "z".repeat(64) }, false],
  ] as const)("%s → %p", (_case, input, expected) => {
    expect(verifyCallbackSignature({ secret, ...input })).toBe(expected)
  })

  it("rejects a signature made with another secret", () => {
    const forged = callbackSignature("another-secret-another-secret-1234", "lipia", "payses_01")
    expect(verifyCallbackSignature({ secret, gateway: "lipia", sessionId: "payses_01", sig: forged })).toBe(false)
  })
})
