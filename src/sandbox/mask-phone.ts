/**
 * Phone masking for the sandbox's log lines, payment snapshots and phone page (the sandbox's
 * own copy: it shares no code with the plugin). 254712345678 → 2547******78,
 * 0712345678 → 07******78: only the country/network prefix and the last two digits show.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "")
  if (digits.length <= 6) {
    return "*".repeat(digits.length)
  }
  const shown = digits.startsWith("254") ? 4 : 2
  return `${digits.slice(0, shown)}${"*".repeat(digits.length - shown - 2)}${digits.slice(-2)}`
}
