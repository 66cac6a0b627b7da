/**
 * Africa/Nairobi clock. Lipwa writes its dates as `2025-08-21T10:42:32+03:00`
 * (reference/lipwa-api.txt, "Africa/Nairobi timezone") and M-Pesa's CheckoutRequestIDs
 * embed the local time. Kenya is UTC+3 all year (no daylight saving), so a fixed offset
 * is exact and needs no time-zone database.
 */

const OFFSET_MS = 3 * 60 * 60 * 1000

function shifted(date: Date): string {
  return new Date(date.getTime() + OFFSET_MS).toISOString()
}

/** `YYYY-MM-DDTHH:mm:ss+03:00`, no milliseconds, as Lipwa sends it. */
export function nairobiIso(date: Date): string {
  return `${shifted(date).slice(0, 19)}+03:00`
}

/** `DDMMYYYYHHmmss`, the timestamp inside a `ws_CO_…` CheckoutRequestID. */
export function nairobiCompact(date: Date): string {
  const iso = shifted(date)
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)]
  return `${dd}${mm}${yyyy}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`
}

/** Nairobi calendar date parts (month 1–12). */
export function nairobiDate(date: Date): { year: number; month: number; day: number } {
  const iso = shifted(date)
  return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) }
}
