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

type Recorded = { receipt: string; label: string; outcome: string; message?: string }

/**
 * Paybill and Till payments waiting for an order (credits in the gateway's list that no payment in
 * the ledger holds), each with the orders owing exactly its amount and one click to record it
 * there — through the desk's own route and rules; then the orders that owe money, linked.
 */
export const WaitingForOrders = () => {
  const unmatched = useUnmatched()
  const owing = useQuery(owingQuery)
  const [recorded, setRecorded] = useState<Recorded[]>([])
  const orders = owing.data?.orders ?? []

  return (
    <>
      {recorded.map((r) => (
        <div key={r.receipt} className="flex items-center justify-between gap-x-2 px-6 py-3" data-testid="mpesa-unmatched-recorded">
          <Text size="small">
            <Badge color="green" size="2xsmall">
              Recorded
            </Badge>{" "}
            {r.receipt} recorded on {r.label}
            {r.outcome === "done" ? ": the payment is taken on the order." : `. ${r.message ?? ""}`}
          </Text>
          <Button size="small" variant="transparent" onClick={() => setRecorded((all) => all.filter((x) => x !== r))}>
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
              onRecorded={(r) => setRecorded((all) => [r, ...all.filter((x) => x.receipt !== r.receipt)])}
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
  onRecorded,
}: {
  providerId: string
  label: string
  payment: UnmatchedPayments["payments"][number]
  onRecorded: (r: Recorded) => void
}) => {
  const queryClient = useQueryClient()
  const [refusal, setRefusal] = useState<string>()
  const record = useMutation({
    mutationFn: (candidate: UnmatchedCandidate) =>
      sdk.client.fetch<{ outcome: string; message?: string }>(`/admin/mpesa/orders/${candidate.order_id}/record-payment`, {
        method: "POST",
        body: { provider_id: providerId, receipt: payment.receipt },
      }),
    onSuccess: (answer, candidate) => {
      setRefusal(undefined)
      onRecorded({ receipt: payment.receipt, label: candidate.label, outcome: answer.outcome, message: answer.message })
      // The list, the ledger and the counts: every "mpesa-…" query; Medusa's own order pages read theirs afresh.
      queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith("mpesa-") || ["orders", "draft-orders"].includes(String(q.queryKey[0])) })
    },
    // Kept on screen until dismissed or the next try: a refusal says what to do, and a toast is gone in seconds.
    onError: (error) => setRefusal((error as Error).message),
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
            Record on {c.label.charAt(0).toLowerCase() + c.label.slice(1)}
          </Button>
        </div>
      ))}
      {refusal ? (
        <div className="flex items-start justify-between gap-x-2 rounded-md bg-ui-bg-subtle px-3 py-2" role="alert" data-testid="mpesa-unmatched-refusal">
          <Text size="small" className="text-ui-fg-error">
            Not recorded: {refusal}
          </Text>
          <Button size="small" variant="transparent" onClick={() => setRefusal(undefined)}>
            Dismiss
          </Button>
        </div>
      ) : null}
    </div>
  )
}
