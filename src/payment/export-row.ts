import { redactPhones } from "../lib/phone"
import { attentionOf } from "./attention"
import { endingInWords, nairobiTime } from "./prompt-outcome"

/**
 * The accountant's file, one row per attempt. Times are Nairobi's wall clock with the offset (the
 * chart's calendar); orders by the number the admin shows; people by email; the reason a prompt
 * failed in the chart's words. `origin`: checkout, admin_request (a prompt the merchant sent,
 * `requested_by` says who) or recorded (a payment made outside the prompt, `recorded_by` says
 * who). `attested`: it stands on the merchant's word alone (`attested_by` vouched), `note` says why — so a payment the
 * gateway never confirmed is never taken for one it did. `order_id` is last, for a developer.
 */
export const EXPORT_COLUMNS = [
  "date",
  "gateway",
  "reference",
  "receipt",
  "currency",
  "amount_requested",
  "amount_paid",
  "phone",
  "order",
  "customer_email",
  "state",
  "reason",
  "flags",
  "resolved_at",
  "resolved_by",
  "origin",
  "requested_by",
  "recorded_by",
  "attested",
  "attested_by",
  "note",
  "order_id",
] as const

export type ExportedAttempt = {
  pushed_at: Date | string
  gateway: string
  reference: string | null
  receipt: string | null
  amount_requested: number | null
  amount_paid: number | null
  phone_masked: string
  order_id: string | null
  state: Parameters<typeof endingInWords>[0]["state"]
  outcome: string | null
  result_code: number | null
  resolved_at: Date | string | null
  resolved_by: string | null
  origin: string
  requested_by: string | null
  attested: boolean
  attestation_note: string | null
  attested_by?: string | null
} & Parameters<typeof attentionOf>[0]

export type ExportedOrder = { id: string; label: string; email: string | null }

/** What the ledger does not hold by name: the order each row is for (by number, with its email; by the row's index) and staff by email. */
export type ExportNames = {
  orders: Array<ExportedOrder | undefined>
  users: Map<string, string>
}

/** Row `a` of the file; `order`: the order it is for (paid on it, or asked on it and not paid yet). */
export function exportRow(a: ExportedAttempt, order: ExportedOrder | undefined, users: ExportNames["users"]): Array<string | number | boolean | null> {
  const flags = attentionOf({ ...a, resolved_at: null }).map((f) => f.flag)
  const staff = (id: string | null) => (id ? users.get(id) ?? id : null)
  return [
    nairobiTime(a.pushed_at),
    a.gateway,
    a.reference,
    a.receipt,
    // M-Pesa moves shillings only: the plugin refuses any other currency before a prompt.
    "KES",
    a.amount_requested,
    a.amount_paid,
    a.phone_masked,
    order?.label ?? null,
    order?.email ?? null,
    a.state,
    endingInWords(a),
    flags.join(" "),
    a.resolved_at ? nairobiTime(a.resolved_at) : null,
    staff(a.resolved_by),
    a.origin,
    a.origin === "admin_request" ? staff(a.requested_by) : null,
    a.origin === "recorded" ? staff(a.requested_by) : null,
    a.attested,
    // A recorded receipt is attested by whoever recorded it; an accepted claim, by whoever accepted it.
    a.attested ? staff(a.attested_by ?? (a.origin === "recorded" ? a.requested_by : null)) : null,
    // A note is the merchant's free text: whatever wrote it, no whole phone number leaves in the file.
    a.attested && a.attestation_note ? redactPhones(a.attestation_note) : null,
    order?.id ?? a.order_id,
  ]
}
