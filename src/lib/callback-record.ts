import { maskPhone } from "./phone"

/**
 * What the callback log keeps of a request (modules/mpesa/models/mpesa-callback.ts): pure, so
 * what is kept and what is never kept is decided — and tested — in one place.
 */

/** A body longer than this is cut: the log is evidence for a person, not an archive, and a flood of forged callbacks must not fill the database. */
export const CALLBACK_BODY_LIMIT = 16 * 1024

/**
 * The headers that tell where a callback came from and how it was sent. Everything else is
 * dropped — above all `authorization` and `cookie`, which an aggregator has no reason to send
 * and the store no reason to keep.
 */
export const KEPT_HEADERS = ["content-type", "content-length", "user-agent", "x-forwarded-for", "x-real-ip", "forwarded", "cf-connecting-ip", "x-request-id"] as const

// A Kenyan mobile number as the gateways write it (2547…, 2541…, +2547…, 07…, 01…), not inside a longer run of digits or letters (a receipt such as THK75EOH2Z, a checkout id).
const PHONE = /(?<![\w])(?:\+?254|0)[17]\d{8}(?![\w])/g

/** The text with every phone number masked as the ledger masks it (2547******78). */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE, (phone) => maskPhone(phone))
}

/** The body as received — the raw bytes when the parser kept them, else the parsed body re-serialised — masked and cut to the limit. */
export function bodyAsReceived(raw: unknown, parsed: unknown): string {
  const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : typeof raw === "string" ? raw : parsed === undefined ? "" : JSON.stringify(parsed)
  const masked = maskPhonesIn(text)
  return masked.length > CALLBACK_BODY_LIMIT ? `${masked.slice(0, CALLBACK_BODY_LIMIT)}… [cut: ${masked.length} characters received]` : masked
}

/** The kept headers, with phone numbers masked (a user agent can carry anything). */
export function keptHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of KEPT_HEADERS) {
    const value = headers[name]
    if (value !== undefined) {
      kept[name] = maskPhonesIn(Array.isArray(value) ? value.join(", ") : value).slice(0, 500)
    }
  }
  return kept
}

/** What the URL named, whatever the signature said: the attempt (or, for sessions started before attempts were named, the session). */
export function namedIdOf(query: Record<string, unknown>): string | null {
  const named = query.attempt_id ?? query.session_id
  return typeof named === "string" && named ? named.slice(0, 100) : null
}

/** How many characters of an id an outsider sent reach the server log: room for any id this store makes (`mpatt_` + 26). */
export const LOGGED_ID_LIMIT = 40

const ID_CHARACTERS = /^[A-Za-z0-9_-]+$/

/**
 * An id from a callback's URL as the server log may show it. The URL is anyone's to write: a
 * log line must not carry a megabyte, a forged second line (a newline) or terminal escapes, so
 * only an id of letters, digits, `_` and `-` is shown, cut to LOGGED_ID_LIMIT; anything else
 * is "(malformed)", and none at all is "-". A phone number in it is masked, as everywhere in logs.
 */
export function loggableId(value: unknown): string {
  if (value === undefined || value === null || value === "") {
    return "-"
  }
  if (typeof value !== "string" || !ID_CHARACTERS.test(value)) {
    return "(malformed)"
  }
  // Masked before the cut, so no phone number survives half-cut past the mask.
  const masked = maskPhonesIn(value)
  return masked.length > LOGGED_ID_LIMIT ? `${masked.slice(0, LOGGED_ID_LIMIT)}…` : masked
}
