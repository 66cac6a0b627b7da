/**
 * The number a prompt went to, as the shopper reads it on the waiting screen: in the format they
 * typed it ("0712 ••• 678", "+254 712 ••• 678"), never the store's `2547******78`, which is
 * how the ledger masks it and looks like nobody's number.
 */

const HIDDEN = "•••"

/** The nine digits after the country code (712345678), and how the shopper wrote what came before. */
type Typed = { lead: "0" | "+254" | "254" | ""; national: string }

function typedNumber(typed: string): Typed | undefined {
  const compact = typed.replace(/[\s\-().]/g, "")
  const match = /^(\+254|254|0)?([17]\d{8})$/.exec(compact)
  if (!match) {
    return undefined
  }
  return { lead: (match[1] ?? "") as Typed["lead"], national: match[2] }
}

/** "0712 ••• 678" for 0712345678, "+254 712 ••• 678" for +254712345678; undefined when it is no Kenyan mobile number. */
export function maskTypedPhone(typed: string): string | undefined {
  const number = typedNumber(typed)
  if (!number) {
    return undefined
  }
  const { lead, national } = number
  const head = lead === "0" || lead === "" ? `${lead}${national.slice(0, 3)}` : `${lead} ${national.slice(0, 3)}`
  return `${head} ${HIDDEN} ${national.slice(-3)}`
}

/**
 * What the waiting screen names: the typed number masked as typed when it is the one the store
 * sent the prompt to (its masked form, `2547******78`, agrees), else the store's masked form in
 * the local format ("07•• ••• •78": after a reload, or when a live prompt for another number
 * was followed instead), else what the store said as is.
 */
export function shownMpesaPhone(typed: string | undefined, stored: string | undefined): string | undefined {
  const number = typed ? typedNumber(typed) : undefined
  if (number && (!stored || agrees(`254${number.national}`, stored))) {
    return maskTypedPhone(typed!)
  }
  if (!stored) {
    return undefined
  }
  const local = /^254([17])\*+(\d{2})$/.exec(stored)
  return local ? `0${local[1]}•• ${HIDDEN} •${local[2]}` : stored
}

/** Whether 254712345678 could be what `2547******78` hides. */
function agrees(international: string, stored: string): boolean {
  return stored.length === international.length && [...stored].every((c, i) => c === "*" || c === international[i])
}
