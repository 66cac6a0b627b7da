/**
 * RFC 4180 quoting, and no cell a spreadsheet would run as a formula: a cell starting with
 * =, +, -, @, a tab or a carriage return is prefixed with an apostrophe (OWASP's CSV injection
 * advice), and any cell holding a quote, comma, tab or line break is quoted.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return ""
  }
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`
  }
  return /[",\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
