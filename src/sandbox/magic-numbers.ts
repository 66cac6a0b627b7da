/**
 * Magic phone numbers: the number a test or demo types picks how the prompt ends, the way
 * stripe-mock's test cards do (design.md §5). Keys are the normalised 2547… form, so every
 * spelling a gateway accepts (0700000001, 254700000001, and on Lipia +254700000001; see
 * stk-push-rules.ts) behaves the same.
 */
import type { MagicBehaviour } from "./types"

export const MAGIC_NUMBERS: Readonly<Record<string, MagicBehaviour>> = {
  "254700000000": { outcome: "success", callback: "send", description: "success" },
  "254700000001": { outcome: "cancelled", callback: "send", description: "cancelled by user (1032)" },
  "254700000002": { outcome: "timeout", callback: "send", description: "timeout, no response from the phone (1037)" },
  "254700000003": { outcome: "insufficient_funds", callback: "send", description: "insufficient funds (1)" },
  "254700000004": { outcome: "wrong_pin", callback: "send", description: "wrong PIN (2001)" },
  "254700000005": {
    outcome: "success",
    callback: "lost",
    description: "success, but the callback is lost (only the status API knows)",
  },
  "254700000006": { outcome: "success", callback: "duplicate", description: "success, callback sent twice" },
  "254700000007": {
    outcome: "underpaid",
    callback: "send",
    description: "underpaid: pays floor(amount / 2)",
  },
  "254700000008": { outcome: "expired", callback: "send", description: "transaction expired (1019)" },
  "254700000009": { outcome: "busy", callback: "send", description: "another transaction in progress (1001)" },
  "254700000010": {
    outcome: null,
    callback: "send",
    description: "never settles by itself (settle it on /phone or through the control API)",
  },
}

export function magicBehaviour(msisdn: string): MagicBehaviour | null {
  return MAGIC_NUMBERS[msisdn] ?? null
}

/** The table as text, for the CLI banner. */
export function magicNumberTable(): string {
  return Object.entries(MAGIC_NUMBERS)
    .map(([msisdn, m]) => `  ${msisdn}  ${m.description}`)
    .join("\n")
}
