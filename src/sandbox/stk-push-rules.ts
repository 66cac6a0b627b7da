/**
 * What each gateway accepts as an STK push's `phone_number` and `amount`, and the words it
 * answers with when they are wrong — written from the vendors' documents (reference/ in the
 * project's shared folder) and deliberately sharing nothing with the plugin's own rules in
 * src/lib: the client and this simulator check each other, so one bug must not pass both.
 *
 * Where the documents are silent the choice is marked "Sandbox choice" and listed in
 * docs/sandbox.md.
 */
import type { Api } from "./types"

export interface StkPushRules {
  /**
   * What may come before the nine-digit subscriber number (7…… or 1……). The subscriber number
   * itself is `[71]` plus eight digits: both documents show only Kenyan 07/01 lines, written
   * with 10 digits locally (0712345678) and 12 internationally (254712345678).
   */
  phonePrefixes: readonly string[]
  /** Smallest accepted amount, in whole Kenyan shillings. */
  minAmount: number
  /** What the gateway says about a bad phone number / a bad or too small amount. */
  rejects: { phone_number: string; amount: string }
}

export const STK_PUSH_RULES: Readonly<Record<Api, StkPushRules>> = {
  lipia: {
    // lipia-stk-push.txt, "Phone Number Format": "2547... , 2541... , +2547... , +2541... , 07... ,01...".
    phonePrefixes: ["254", "+254", "0"],
    // lipia-stk-push.txt: "amount | Number | … (minimum 1)" and "Amount Validation: Must be a positive integer".
    minAmount: 1,
    // `error.expected` of the VALIDATION_ERROR. The phone text is the documented one; the docs
    // show no expected text for amount (sandbox choice: their two amount rules, joined).
    rejects: {
      phone_number: "valid safaricom kenyan number",
      amount: "positive integer, minimum 1",
    },
  },
  lipwa: {
    // lipwa-api.txt: "phone_number string required All formats supported (254, 07, 01) provided
    // it's a valid M-Pesa number". Sandbox choice: exactly those three, so no "+254".
    phonePrefixes: ["254", "0"],
    // lipwa-api.txt: "amount integer required e.g., 1000 (min amount: 10)".
    minAmount: 10,
    // Lipwa documents no error bodies. Sandbox choice: `{ message }` with these texts, HTTP 400.
    rejects: {
      phone_number: "phone_number must be a valid M-Pesa (Safaricom) number, e.g. 0712345678 or 254712345678",
      amount: "amount must be a whole number of shillings, minimum 10",
    },
  },
}

const SUBSCRIBER_NUMBER = /^[71]\d{8}$/

/**
 * Both documents accept Safaricom lines only ("a valid kenyan safaricom number", "a valid
 * M-Pesa number") but neither lists the ranges. Sandbox choice: refuse the ranges the
 * Communications Authority of Kenya gave other networks (first four digits of the local form,
 * inclusive), and accept every other 07…/01… number — a test number in a range Safaricom
 * received recently must not be turned away.
 */
export const OTHER_NETWORK_RANGES: ReadonlyArray<{ from: string; to: string; network: string }> = [
  { from: "0730", to: "0739", network: "Airtel" },
  { from: "0750", to: "0756", network: "Airtel" },
  { from: "0780", to: "0789", network: "Airtel" },
  { from: "0100", to: "0102", network: "Airtel" },
  { from: "0763", to: "0766", network: "Equitel" },
  { from: "0770", to: "0779", network: "Telkom" },
]

export type PhoneVerdict =
  | { ok: true; msisdn: string }
  | { ok: false; reason: "not_a_string" | "format" | "other_network"; network?: string }

/**
 * Checks a `phone_number` exactly as sent (sandbox choice: no trimming, and no spaces, dashes
 * or brackets — the documents show none) and gives the 12-digit 2547…/2541… form that the
 * status API and the callbacks echo.
 */
export function checkPushPhone(api: Api, value: unknown): PhoneVerdict {
  if (typeof value !== "string") {
    return { ok: false, reason: "not_a_string" }
  }
  const prefix = STK_PUSH_RULES[api].phonePrefixes.find((p) => value.startsWith(p))
  const subscriber = prefix === undefined ? "" : value.slice(prefix.length)
  if (!SUBSCRIBER_NUMBER.test(subscriber)) {
    return { ok: false, reason: "format" }
  }
  const head = `0${subscriber.slice(0, 3)}`
  const other = OTHER_NETWORK_RANGES.find((r) => head >= r.from && head <= r.to)
  if (other) {
    return { ok: false, reason: "other_network", network: other.network }
  }
  return { ok: true, msisdn: `254${subscriber}` }
}

/** A JSON number that is a whole number of shillings (safe integer) at least the API's minimum. */
export function pushAmountAccepted(api: Api, value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= STK_PUSH_RULES[api].minAmount
}
