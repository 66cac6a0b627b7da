/**
 * Whether a provider takes real money: `live` when it talks to its gateway's production API,
 * `sandbox` when to this plugin's sandbox (its paths: /lipia/api/v2, /lipwa/api), `test` for any
 * other URL (a staging API, a tunnel, a mock). The admin says so wherever a payment is taken.
 */
export type GatewayMode = "live" | "sandbox" | "test"

const SANDBOX_PATHS = /\/(lipia\/api\/v2|lipwa\/api)\/?$/

export function gatewayMode(baseUrl: string, productionUrl: string): GatewayMode {
  const trim = (url: string) => url.replace(/\/+$/, "")
  if (trim(baseUrl) === trim(productionUrl)) {
    return "live"
  }
  try {
    return SANDBOX_PATHS.test(new URL(baseUrl).pathname) ? "sandbox" : "test"
  } catch {
    return "test"
  }
}
