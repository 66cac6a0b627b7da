/**
 * Safaricom phone numbers, as both aggregators accept them.
 *
 * Lipia documents the accepted forms as 07…, 01…, 2547…, 2541…, +2547…, +2541…
 * (reference/lipia-stk-push.txt, "Phone Number Format"); Lipwa accepts "254, 07, 01"
 * (reference/lipwa-api.txt). We normalise every one of them to the 12-digit MSISDN form
 * `2547XXXXXXXX` / `2541XXXXXXXX` that M-Pesa itself uses, and reject anything else
 * before a request leaves the store, with a message the shopper can act on.
 */

export type PhoneCheck =
  | { ok: true; msisdn: string }
  | { ok: false; code: PhoneErrorCode; message: string }

export type PhoneErrorCode = "MPESA_MISSING_PHONE" | "MPESA_INVALID_PHONE" | "MPESA_NOT_SAFARICOM"

/**
 * Number ranges the Communications Authority of Kenya allocated to other networks. M-Pesa
 * lives on Safaricom lines only, so a push to these can never succeed. We reject only the
 * ranges we know belong elsewhere: Safaricom is still being given new ranges, and turning a
 * new Safaricom number away would lose a sale, while an unknown range that is not Safaricom
 * merely gets a failed push from the aggregator.
 */
const OTHER_NETWORKS: ReadonlyArray<{ prefix: RegExp; network: string }> = [
  { prefix: /^2547(3\d)/, network: "Airtel" },
  { prefix: /^2547(5[0-6])/, network: "Airtel" },
  { prefix: /^2547(8\d)/, network: "Airtel" },
  { prefix: /^2541(0[0-2])/, network: "Airtel" },
  { prefix: /^2547(7\d)/, network: "Telkom" },
  { prefix: /^2547(6[3-6])/, network: "Equitel" },
]

// Spaces, dashes, dots and brackets are how people write numbers ("0712 345 678",
// "(0712) 345-678"); they carry no meaning and are dropped before the format check.
const SEPARATORS = /[\s\-.()]/g

/** The documented forms: 07…/01… (10 digits), 2547…/2541… (12), +2547…/+2541… (13 chars). */
const DOCUMENTED_FORMS = /^(?:\+?254|0)([71]\d{8})$/

export function checkSafaricomPhone(input: unknown): PhoneCheck {
  if (input === undefined || input === null || (typeof input === "string" && !input.trim())) {
    return {
      ok: false,
      code: "MPESA_MISSING_PHONE",
      message: "Enter the M-Pesa phone number that should receive the payment prompt.",
    }
  }
  if (typeof input !== "string" && typeof input !== "number") {
    return invalid()
  }
  const compact = String(input).replace(SEPARATORS, "")
  const match = DOCUMENTED_FORMS.exec(compact)
  if (!match) {
    return invalid()
  }
  const msisdn = `254${match[1]}`
  const other = OTHER_NETWORKS.find(({ prefix }) => prefix.test(msisdn))
  if (other) {
    return {
      ok: false,
      code: "MPESA_NOT_SAFARICOM",
      message: `${localForm(msisdn)} is an ${other.network} number. M-Pesa needs a Safaricom number.`,
    }
  }
  return { ok: true, msisdn }
}

function invalid(): PhoneCheck {
  return {
    ok: false,
    code: "MPESA_INVALID_PHONE",
    message:
      "Enter a valid Safaricom M-Pesa number, for example 0712 345 678 or +254 712 345 678.",
  }
}

/** 254712345678 → 0712345678 (how Kenyans read their own number). */
export function localForm(msisdn: string): string {
  return msisdn.startsWith("254") ? `0${msisdn.slice(3)}` : msisdn
}

/**
 * Masks a phone number for logs, admin lists and storefront-readable session data:
 * 254712345678 → 2547******78. Works on any form, and never reveals more than the
 * country/network prefix and the last two digits.
 */
export function maskPhone(phone: unknown): string {
  if (phone === undefined || phone === null) {
    return ""
  }
  const digits = String(phone).replace(/\D/g, "")
  if (digits.length <= 6) {
    return "*".repeat(digits.length)
  }
  const head = digits.startsWith("254") ? 4 : 2
  return digits.slice(0, head) + "*".repeat(digits.length - head - 2) + digits.slice(-2)
}

// Between two digits of a number written in free text: up to two of the separators people
// type (spaces, dashes, dots, brackets: "(0712) 345-678"), as checkSafaricomPhone reads them.
const GAP = String.raw`[\s\-.()]{0,2}`

/**
 * A Kenyan mobile number anywhere in free text, in each spelling people write one: 07…/01…,
 * 2547…/2541…, +254…/00254…, "+254 (0) 7…", with spaces, dashes, dots or brackets. Any
 * network's (a note may name an Airtel number too). Never inside a longer run of digits (an
 * account number, a ws_CO_… id), and a receipt's digits are too few to form one.
 */
const PHONE_IN_TEXT = new RegExp(
  String.raw`(?<![\d+])\(?(?:(?:\+|00)?254${GAP}(?:0${GAP})?|0${GAP})[17](?:${GAP}\d){8}(?!\d)`,
  "g"
)

/**
 * Masks every phone number in free text (a merchant's note) the way maskPhone masks one: the
 * ledger and its exports keep what the merchant wrote, never whole numbers. Each is masked in
 * its own form: local stays 07******78, international becomes 2547******78.
 */
export function redactPhones(text: string): string {
  return text.replace(PHONE_IN_TEXT, (found) => {
    const digits = found.replace(/\D/g, "")
    // +254 (0) 712…: the trunk 0 after the country code is not part of the number.
    return maskPhone(digits.replace(/^(?:00)?2540?/, "254"))
  })
}

/**
 * The MSISDN a merchant's search means, when the search is a phone number as customers say
 * theirs: every form checkSafaricomPhone takes, and the nine digits after the 0 (712 345 678),
 * with any separators. Undefined for anything else (an order number, a receipt), so a search
 * is matched against the ledger's keyed phone hash only when it is a whole number.
 */
export function searchedPhone(q: string): string | undefined {
  const compact = q.trim().replace(SEPARATORS, "")
  const local = /^[71]\d{8}$/.test(compact) ? `0${compact}` : compact
  const check = checkSafaricomPhone(local)
  return check.ok ? check.msisdn : undefined
}
