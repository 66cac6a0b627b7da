import { Button, Container, Heading, Input, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery } from "@tanstack/react-query"
import { useState } from "react"

import { ProviderSelect } from "../../components/provider-select"
import { kes, when } from "../../lib/format"
import { sdk } from "../../lib/sdk"
import type { ProviderSummary } from "../../lib/types"

type Reconciliation =
  | { supported: false; message: string }
  | {
      supported: true
      matched: number
      resolved: number
      paid_twice: Array<{ receipt: string; reference: string; amount: number; attempt_id: string; order_id: string | null }>
      received_without_order: Array<{ receipt: string; reference: string; amount: number; paid_at?: string; reason: string }>
      unknown_to_gateway: Array<{ attempt_id: string; receipt: string | null; amount_paid: number | null; order_id: string | null }>
    }

/** The gateway's own list of received payments against the ledger (Lipwa; Lipia has no list). */
export const ReconcileCard = () => {
  const { data } = useQuery({
    queryKey: ["mpesa-setup"],
    queryFn: () => sdk.client.fetch<{ providers: ProviderSummary[] }>("/admin/mpesa/setup"),
  })
  const providers = data?.providers ?? []
  const [providerId, setProviderId] = useState<string>()
  const [from, setFrom] = useState("")
  const [to, setTo] = useState("")
  // A gateway that can reconcile (one that lists the account's transactions: Lipwa), never Lipia by default.
  const chosen = providerId ?? (providers.find((p) => p.lists_transactions) ?? providers[0])?.provider_id
  const run = useMutation({
    mutationFn: () =>
      sdk.client.fetch<{ reconciliation: Reconciliation }>("/admin/mpesa/reconcile", {
        query: { provider_id: chosen!, ...(from ? { from } : {}), ...(to ? { to } : {}) },
      }),
    onError: (error) => toast.error("Reconcile", { description: (error as Error).message }),
  })
  const result = run.data?.reconciliation

  return (
    <Container className="divide-y p-0" data-testid="mpesa-reconcile">
      <div className="px-6 py-4">
        <Heading level="h2">Reconcile with the gateway</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Money the gateway received that no order holds, and payments the gateway does not know.
        </Text>
      </div>
      <div className="flex items-center gap-x-2 px-6 py-4">
        <ProviderSelect providers={providers} value={chosen} onChange={setProviderId} label="Provider" showId />
        <Input size="small" type="date" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
        <Input size="small" type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
        <Button size="small" variant="secondary" className="shrink-0" disabled={!chosen} isLoading={run.isPending} onClick={() => run.mutate()}>
          Reconcile
        </Button>
      </div>
      {result && !result.supported ? <Text size="small" className="px-6 py-4">{result.message}</Text> : null}
      {result && result.supported ? (
        <div className="flex flex-col gap-y-1 px-6 py-4">
          <Text size="small">
            {result.matched} matched; {result.paid_twice.length} paid twice; {result.received_without_order.length} received without an order;{" "}
            {result.unknown_to_gateway.length} unknown to the gateway{result.resolved ? `; ${result.resolved} without an order that you resolved` : ""}.
          </Text>
          {result.paid_twice.map((r) => (
            <Text key={r.reference} size="xsmall">
              {r.receipt} · {kes(r.amount)} — paid twice: order {r.order_id ?? "?"} was already paid by another payment; reverse one
            </Text>
          ))}
          {result.received_without_order.map((r) => (
            <Text key={r.reference} size="xsmall">
              {when(r.paid_at)} · {r.receipt} · {kes(r.amount)} — {r.reason}
            </Text>
          ))}
          {result.unknown_to_gateway.map((a) => (
            <Text key={a.attempt_id} size="xsmall">
              {a.receipt ?? a.attempt_id} · {kes(a.amount_paid)} — in the ledger as received, not in the gateway's list
            </Text>
          ))}
        </div>
      ) : null}
    </Container>
  )
}
