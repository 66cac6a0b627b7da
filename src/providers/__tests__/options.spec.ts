import { validateMpesaOptions } from "../options"

const valid = {
  apiKey: "key_live_123",
  channelId: "CH_1",
  callbackBaseUrl: "https://shop.example.co.ke",
  callbackSecret: "0123456789abcdef0123456789abcdef",
}

describe("validateMpesaOptions", () => {
  it.each(["lipia", "lipwa"] as const)("accepts the minimal %s configuration", (gateway) => {
    expect(validateMpesaOptions(gateway, valid)).toMatchObject(valid)
  })

  it("accepts every optional option", () => {
    const all = { ...valid, baseUrl: "http://127.0.0.1:4010/lipia/api/v2", timeoutMs: 5000, amountRounding: "reject", maxAmount: 70000, manualRefunds: true }
    expect(validateMpesaOptions("lipia", all)).toMatchObject(all)
  })

  it.each([
    ["lipia", 50],
    ["lipia", 200],
    ["lipwa", 5],
  ] as const)("takes a %s pace of %p requests per second", (gateway, requestsPerSecond) => {
    expect(validateMpesaOptions(gateway, { ...valid, requestsPerSecond }).requestsPerSecond).toBe(requestsPerSecond)
  })

  it("does not need a channel for Lipia", () => {
    const { channelId: _omit, ...lipia } = valid
    expect(() => validateMpesaOptions("lipia", lipia)).not.toThrow()
  })

  it.each([
    ["lipia", { apiKey: undefined }, /option "apiKey" is required/],
    ["lipia", { apiKey: "  " }, /option "apiKey" is required/],
    ["lipwa", { channelId: undefined }, /option "channelId" is required/],
    ["lipia", { callbackBaseUrl: undefined }, /option "callbackBaseUrl" is required/],
    ["lipia", { callbackBaseUrl: "shop.example" }, /option "callbackBaseUrl" must be an http\(s\) URL/],
    ["lipia", { callbackSecret: undefined }, /option "callbackSecret" is required/],
    ["lipia", { callbackSecret: "short-secret" }, /option "callbackSecret" must be at least 32 characters/],
    ["lipia", { baseUrl: "ftp://x" }, /option "baseUrl" must be an http\(s\) URL/],
    ["lipia", { timeoutMs: "5000" }, /option "timeoutMs" must be a number/],
    ["lipia", { timeoutMs: 10 }, /at least 1000 ms/],
    ["lipia", { amountRounding: "floor" }, /option "amountRounding" must be "ceil" or "reject"/],
    ["lipia", { maxAmount: 300000 }, /cannot exceed M-Pesa's ceiling/],
    ["lipia", { manualRefunds: "yes" }, /option "manualRefunds" must be true or false/],
    ["lipwa", { requestsPerSecond: 11 }, /cannot exceed Lipwa's documented 10 per second/],
    ["lipia", { requestsPerSecond: 1 }, /option "requestsPerSecond" must be at least 2/],
    ["lipia", { requestsPerSecond: 201 }, /option "requestsPerSecond" cannot exceed 200/],
    ["lipia", { requestsPerSecond: 7.5 }, /option "requestsPerSecond" must be a whole number/],
    ["lipia", { requestsPerSecond: "20" }, /option "requestsPerSecond" must be a number/],
  ] as const)("stops %s boot when %p, naming the option", (gateway, override, message) => {
    expect(() => validateMpesaOptions(gateway, { ...valid, ...override })).toThrow(message)
  })

  it("names the provider, and never echoes the secret it refused", () => {
    const secret = "not-long-enough-secret"
    let message = ""
    try {
      validateMpesaOptions("lipwa", { ...valid, callbackSecret: secret })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain("mpesa-lipwa provider")
    expect(message).not.toContain(secret)
  })

  it("reports every problem at once", () => {
    expect(() => validateMpesaOptions("lipwa", {})).toThrow(/apiKey.*channelId.*callbackBaseUrl.*callbackSecret/)
  })
})
