import { Badge, Button, Text } from "@medusajs/ui"
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"

import { kes, when } from "../../lib/format"
import { sdk } from "../../lib/sdk"
import type { OwingOrder, ProviderSummary, UnmatchedCandidate, UnmatchedPayments } from "../../lib/types"

/** At most this many owing orders are linked under Needs attention; the rest are counted. */
const OWING_SHOWN = 10

const setupQuery = {
  queryKey: ["mpesa-setup"],
  queryFn: () => sdk.client.fetch<{ providers: ProviderSummary[] }>("/admin/mpesa/setup"),
}
const owingQuery = {
  queryKey: ["mpesa-owing-orders"],
  queryFn: () => sdk.client.fetch<{ orders: OwingOrder[]; days: number }>("/admin/mpesa/owing-orders"),
}

/** Each provider whose gateway lists the account's transactions (Lipwa), with its payments waiting for an order. */
function useUnmatched() {
  const setup = useQuery(setupQuery)
  const listing = (setup.data?.providers ?? []).filter((p) => p.lists_transactions)
  const answers = useQueries({
    queries: listing.map((p) => ({
      queryKey: ["mpesa-unmatched", p.provider_id],
      queryFn: () => sdk.client.fetch<UnmatchedPayments>("/admin/mpesa/unmatched-payments", { query: { provider_id: p.provider_id } }),
      retry: false,
    })),
  })
  return listing.map((provider, i) => ({ provider, answer: answers[i] }))
}

/** What "Needs attention" counts besides the ledger's flagged payments: payments waiting for an order, and orders that owe. */
export function useWaitingCount(): number {
  const unmatched = useUnmatched()
  const owing = useQuery(owingQuery)
  return unmatched.reduce((n, u) => n + (u.answer.data?.payments.length ?? 0), 0) + (owing.data?.orders.length ?? 0)
}

/** What became of a click, kept on screen until dismissed: the payment's row may be gone by then (it is recorded). */
type Notice = { receipt: string; label: string } & ({ recorded: true; outcome: string; message?: string } | { recorded: false; refusal: string })

/**
 * Paybill and Till payments waiting for an order (credits in the gateway's list that no payment in
 * the ledger holds), each with the orders owing exactly its amount and one click to record it
 * there — through the desk's own route and rules; then the orders that owe money, linked.
 */
export const WaitingForOrders = () => {
  const unmatched = useUnmatched()
  const owing = useQuery(owingQuery)
  const [notices, setNotices] = useState<Notice[]>([])
  const notify = (n: Notice) => setNotices((all) => [n, ...all.filter((x) => x.receipt !== n.receipt)])
  const orders = owing.data?.orders ?? []

  return (
    <>
      {notices.map((n) => (
        <div
          key={n.receipt}
          className="flex items-center justify-between gap-x-2 px-6 py-3"
          role={n.recorded ? "status" : "alert"}
          data-testid={n.recorded ? "mpesa-unmatched-recorded" : "mpesa-unmatched-refusal"}
        >
          {n.recorded ? (
            <Text size="small">
              <Badge color="green" size="2xsmall">
                Recorded
              </Badge>{" "}
              {n.receipt} recorded on {n.label}
              {n.outcome === "done" ? ": the payment is taken on the order." : `. ${n.message ?? ""}`}
            </Text>
          ) : (
            <Text size="small" className="text-ui-fg-error">
              <Badge color="red" size="2xsmall">
                Not recorded
              </Badge>{" "}
              {n.receipt} was not recorded on {lowerFirst(n.label)}: {n.refusal}
            </Text>
          )}
          <Button size="small" variant="transparent" onClick={() => setNotices((all) => all.filter((x) => x !== n))}>
            Dismiss
          </Button>
        </div>
      ))}
      {unmatched.map(({ provider, answer }) =>
        answer.error ? (
          <Text key={provider.provider_id} size="small" className="px-6 py-4 text-ui-fg-error" data-testid="mpesa-unmatched-error">
            Payments to your {provider.label} Paybill or Till could not be checked: {(answer.error as Error).message}
          </Text>
        ) : (
          (answer.data?.payments ?? []).map((payment) => (
            <UnmatchedRow
              key={payment.receipt}
              providerId={provider.provider_id}
              label={provider.label}
              payment={payment}
              notify={notify}
            />
          ))
        )
      )}
      {orders.length ? (
        <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="mpesa-owing-orders">
          <div className="flex items-center gap-x-2">
            <Badge color="orange" size="2xsmall">
              Owes money
            </Badge>
            <Text size="small" weight="plus">
              {orders.length === 1 ? "1 order owes money" : `${orders.length} orders owe money`} (created in the last {owing.data?.days} days)
            </Text>
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            Open one to request an M-Pesa payment, or record a payment the customer already made.
          </Text>
          {orders.slice(0, OWING_SHOWN).map((o) => (
            <Text key={o.order_id} size="small">
              <a className="text-ui-fg-interactive" href={o.draft ? `/app/draft-orders/${o.order_id}` : `/app/orders/${o.order_id}`}>
                {o.label}
              </a>
              {o.customer ? ` · ${o.customer}` : ""} · owes {kes(o.outstanding)}
            </Text>
          ))}
          {orders.length > OWING_SHOWN ? (
            <Text size="small" className="text-ui-fg-subtle">
              …and {orders.length - OWING_SHOWN} more.
            </Text>
          ) : null}
        </div>
      ) : null}
    </>
  )
}

/** One payment waiting for an order, with the orders it could pay. */
const UnmatchedRow = ({
  providerId,
  label,
  payment,
  notify,
}: {
  providerId: string
  label: string
  payment: UnmatchedPayments["payments"][number]
  notify: (n: Notice) => void
}) => {
  const queryClient = useQueryClient()
  // The list, the ledger and the counts (every "mpesa-…" query); Medusa's own order pages read theirs afresh.
  const refresh = () =>
    queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith("mpesa-") || ["orders", "draft-orders"].includes(String(q.queryKey[0])) })
  const record = useMutation({
    mutationFn: (candidate: UnmatchedCandidate) =>
      sdk.client.fetch<{ outcome: string; message?: string }>(`/admin/mpesa/orders/${candidate.order_id}/record-payment`, {
        method: "POST",
        body: { provider_id: providerId, receipt: payment.receipt },
      }),
    onSuccess: (answer, candidate) => {
      notify({ receipt: payment.receipt, label: candidate.label, recorded: true, outcome: answer.outcome, message: answer.message })
      refresh()
    },
    // Kept on screen until dismissed (a refusal says what to do; a toast is gone in seconds), and
    // the list read again: a refusal often means it changed (recorded meanwhile, the order paid).
    onError: (error, candidate) => {
      notify({ receipt: payment.receipt, label: candidate.label, recorded: false, refusal: (error as Error).message })
      refresh()
    },
  })

  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="mpesa-unmatched-row">
      <div className="flex items-center gap-x-2">
        <Badge color="orange" size="2xsmall">
          Waiting for an order
        </Badge>
        <Text size="small" weight="plus">
          {kes(payment.amount)} · {payment.receipt} · {payment.phone_masked ?? "phone not given"} · {when(payment.paid_at)}
        </Text>
      </div>
      <Text size="small">
        Paid to your {label} Paybill or Till, outside any prompt: no order holds it yet.{" "}
        <span className="text-ui-fg-subtle">
          {payment.candidates.length
            ? `Record it on the order it pays — ${payment.candidates.length === 1 ? "this one owes" : "these owe"} exactly ${kes(payment.amount)}:`
            : `No order or draft owes exactly ${kes(payment.amount)}: find the order the customer meant, or reverse the payment from your ${label} portal.`}
        </span>
      </Text>
      {payment.candidates.map((c) => (
        <div key={c.order_id} className="flex items-center justify-between gap-x-2" data-testid="mpesa-unmatched-candidate">
          <Text size="small">
            <a className="text-ui-fg-interactive" href={c.draft ? `/app/draft-orders/${c.order_id}` : `/app/orders/${c.order_id}`}>
              {c.label}
            </a>
            {c.customer ? ` · ${c.customer}` : ""} · owes {kes(c.outstanding)}{" "}
            {c.same_phone ? (
              <Badge color="green" size="2xsmall">
                Same phone
              </Badge>
            ) : null}
          </Text>
          <Button
            size="small"
            variant="secondary"
            isLoading={record.isPending && record.variables?.order_id === c.order_id}
            disabled={record.isPending}
            onClick={() => record.mutate(c)}
          >
            Record on {lowerFirst(c.label)}
          </Button>
        </div>
      ))}
    </div>
  )
}

/** "Order #1" → "order #1", inside a sentence. */
function lowerFirst(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1)
}
