import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CashSolid } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Input, Select, Table, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"

import { Pager } from "../../components/pager"
import { FLAG_WORDS, kes, STATE_WORDS, stateColor, testModeLine, when } from "../../lib/format"
import { refreshAfterPayment } from "../../lib/order-queries"
import { sdk } from "../../lib/sdk"
import type { Attempt, AttemptList, ProviderSummary, Recheck } from "../../lib/types"
import { CallbacksCard } from "./callbacks-card"
import { OutcomesCard } from "./outcomes-card"
import { ReconcileCard } from "./reconcile-card"
import { SetupCard } from "./setup-card"
import { useWaitingCount, WaitingForOrders } from "./unmatched-card"

const PAGE_SIZE = 20
const ANY = "any"
type Filters = { gateway: string; state: string; flag: string; from: string; to: string; q: string }
const NO_FILTERS: Filters = { gateway: ANY, state: ANY, flag: ANY, from: "", to: "", q: "" }

function toQuery(filters: Filters, offset?: number): Record<string, string | number> {
  const query: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(filters)) {
    if (value && value !== ANY) {
      query[name] = value
    }
  }
  return offset === undefined ? query : { ...query, limit: PAGE_SIZE, offset }
}

/**
 * Every M-Pesa payment the store took or tried: what needs the merchant first (with what to
 * do and the actions that settle it), then the whole ledger with filters, search, pagination
 * and a CSV export.
 */
const MpesaPage = () => {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [page, setPage] = useState(0)
  const set = (name: keyof Filters) => (value: string) => {
    setFilters((f) => ({ ...f, [name]: value }))
    setPage(0)
  }
  const list = useQuery({
    queryKey: ["mpesa-attempts", filters, page],
    queryFn: () => sdk.client.fetch<AttemptList>("/admin/mpesa/attempts", { query: toQuery(filters, page * PAGE_SIZE) }),
  })
  const setup = useQuery({
    queryKey: ["mpesa-setup"],
    queryFn: () => sdk.client.fetch<{ providers: ProviderSummary[] }>("/admin/mpesa/setup"),
  })
  const testMode = testModeLine(setup.data?.providers ?? [])
  const attention = useQuery({
    queryKey: ["mpesa-attention"],
    queryFn: () => sdk.client.fetch<AttemptList>("/admin/mpesa/attempts", { query: { flag: "needs_attention", limit: 50 } }),
  })
  const waiting = useWaitingCount()
  const needsAttention = (attention.data?.count ?? 0) + waiting

  const exportCsv = async () => {
    const params = new URLSearchParams(Object.entries(toQuery(filters)).map(([k, v]) => [k, String(v)]))
    const response = await fetch(`/admin/mpesa/attempts/export?${params}`, { credentials: "include" })
    if (!response.ok) {
      toast.error("Export failed", { description: (await response.json()).message })
      return
    }
    const link = document.createElement("a")
    link.href = URL.createObjectURL(await response.blob())
    link.download = `mpesa-attempts-${new Date().toISOString().slice(0, 10)}.csv`
    link.click()
  }

  const count = list.data?.count ?? 0

  return (
    <div className="flex flex-col gap-y-3">
      {testMode ? (
        <Container className="flex items-center gap-x-2 px-6 py-3" data-testid="mpesa-test-mode">
          <Badge color="purple" size="2xsmall">
            {testMode}
          </Badge>
          <Text size="small" className="text-ui-fg-subtle">
            Payments taken through these providers move no real money. The set-up check below shows each provider's base URL.
          </Text>
        </Container>
      ) : null}
      <Container className="divide-y p-0" data-testid="mpesa-attention">
        <div className="px-6 py-4">
          <div className="flex items-center gap-x-2">
            <Heading level="h2">Needs attention</Heading>
            {needsAttention ? (
              <Badge color="orange" size="2xsmall" data-testid="mpesa-attention-count">
                {needsAttention}
              </Badge>
            ) : null}
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            M-Pesa payments that automation left to you, payments waiting for an order, and orders that owe money. Each says what happened and what to do.
          </Text>
        </div>
        <WaitingForOrders />
        {attention.data?.attempts.length ? (
          attention.data.attempts.map((attempt) => <AttentionRow key={attempt.id} attempt={attempt} />)
        ) : waiting ? null : (
          <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
            Nothing needs your attention.
          </Text>
        )}
      </Container>

      <Container className="divide-y p-0">
        <div className="flex items-center justify-between px-6 py-4">
          <Heading level="h2">M-Pesa payments</Heading>
          <Button size="small" variant="secondary" onClick={exportCsv}>
            Export CSV
          </Button>
        </div>
        <div className="grid grid-cols-3 gap-2 px-6 py-4">
          <Input size="small" placeholder="Receipt, order #, cart, last digits…" value={filters.q} onChange={(e) => set("q")(e.target.value)} />
          <Choice value={filters.gateway} onChange={set("gateway")} label="Gateway" options={{ lipia: "Lipia", lipwa: "Lipwa" }} />
          <Choice
            value={filters.state}
            onChange={set("state")}
            label="State"
            options={STATE_WORDS}
          />
          <Choice value={filters.flag} onChange={set("flag")} label="Flag" options={{ needs_attention: "Needs attention", ...FLAG_WORDS }} />
          <Input size="small" type="date" aria-label="From" value={filters.from} onChange={(e) => set("from")(e.target.value)} />
          <Input size="small" type="date" aria-label="To" value={filters.to} onChange={(e) => set("to")(e.target.value)} />
        </div>
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Date</Table.HeaderCell>
              <Table.HeaderCell>Gateway</Table.HeaderCell>
              <Table.HeaderCell>Receipt</Table.HeaderCell>
              <Table.HeaderCell>Amount</Table.HeaderCell>
              <Table.HeaderCell>Phone</Table.HeaderCell>
              <Table.HeaderCell>Order</Table.HeaderCell>
              <Table.HeaderCell>State</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {(list.data?.attempts ?? []).map((attempt) => (
              <Table.Row key={attempt.id}>
                <Table.Cell>{when(attempt.pushed_at)}</Table.Cell>
                <Table.Cell>{attempt.gateway}</Table.Cell>
                <Table.Cell>{attempt.receipt ?? "—"}</Table.Cell>
                <Table.Cell>
                  {kes(attempt.amount_paid ?? attempt.amount_requested)}
                </Table.Cell>
                <Table.Cell>{attempt.phone_masked}</Table.Cell>
                <Table.Cell>{attempt.order_id ? <a href={`/app/orders/${attempt.order_id}`}>{attempt.order_id.slice(-8)}</a> : "—"}</Table.Cell>
                <Table.Cell>
                  <Badge size="2xsmall" color={stateColor(attempt)}>
                    {attempt.state_in_words}
                  </Badge>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        <Pager count={count} pageSize={PAGE_SIZE} page={page} setPage={setPage} />
      </Container>

      <CallbacksCard />
      <OutcomesCard />
      <ReconcileCard />
      <SetupCard />
    </div>
  )
}

const Choice = ({ value, onChange, label, options }: { value: string; onChange: (v: string) => void; label: string; options: Record<string, string> }) => (
  <Select size="small" value={value} onValueChange={onChange}>
    <Select.Trigger aria-label={label}>
      <Select.Value placeholder={label} />
    </Select.Trigger>
    <Select.Content>
      <Select.Item value={ANY}>Any {label.toLowerCase()}</Select.Item>
      {Object.entries(options).map(([key, words]) => (
        <Select.Item key={key} value={key}>
          {words}
        </Select.Item>
      ))}
    </Select.Content>
  </Select>
)

/** One payment that needs the merchant: what happened, what to do, and the actions. */
const AttentionRow = ({ attempt }: { attempt: Attempt }) => {
  const queryClient = useQueryClient()
  const [note, setNote] = useState("")
  // An accepted claim or a re-check that settled pays an order: Medusa's cached order pages are stale too.
  const refresh = () => refreshAfterPayment(queryClient)
  const fail = (error: unknown) => toast.error("M-Pesa", { description: (error as Error).message })
  const recheck = useMutation({
    mutationFn: () => sdk.client.fetch<Recheck>(`/admin/mpesa/attempts/${attempt.id}/recheck`, { method: "POST" }),
    onSuccess: (r) => {
      toast.info("M-Pesa", { description: r.error ?? r.answer ?? r.attempt.state_in_words })
      refresh()
    },
    onError: fail,
  })
  const resolve = useMutation({
    mutationFn: () => sdk.client.fetch(`/admin/mpesa/attempts/${attempt.id}/resolve`, { method: "POST", body: { note } }),
    onSuccess: () => {
      toast.success("Marked resolved")
      refresh()
    },
    onError: fail,
  })
  const place = useMutation({
    mutationFn: () => sdk.client.fetch<{ order_id?: string }>(`/admin/mpesa/attempts/${attempt.id}/place-order`, { method: "POST" }),
    onSuccess: (r) => {
      toast.success("Order placed", { description: r.order_id })
      refresh()
    },
    onError: fail,
  })
  const accept = useMutation({
    mutationFn: () => sdk.client.fetch<{ outcome: string }>(`/admin/mpesa/attempts/${attempt.id}/accept`, { method: "POST", body: { note } }),
    onSuccess: () => {
      toast.success("Payment accepted", { description: "It pays its order once, marked as accepted on your word." })
      refresh()
    },
    onError: fail,
  })
  const placeable = attempt.attention.some((a) => a.flag === "paid_without_order")
  // A claim the gateway cannot confirm: the merchant checks the portal, then accepts it with the note.
  const acceptable = attempt.attention.some((a) => a.flag === "unverified")

  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="mpesa-attention-row">
      <div className="flex items-center gap-x-2">
        {attempt.attention.map((a) => (
          <Badge key={a.flag} color="orange" size="2xsmall">
            {FLAG_WORDS[a.flag] ?? a.flag}
          </Badge>
        ))}
        <Text size="small" weight="plus">
          {kes(attempt.amount_paid ?? attempt.amount_requested)} · {attempt.receipt ?? "no receipt"} · {attempt.phone_masked} · {when(attempt.pushed_at)}
        </Text>
      </div>
      {attempt.attention.map((a) => (
        <Text key={a.flag} size="small">
          {a.what} <span className="text-ui-fg-subtle">{a.todo}</span>
        </Text>
      ))}
      <div className="flex items-end gap-x-2">
        <Textarea rows={1} placeholder={acceptable ? "How did you check it? Or how was it settled? (kept in the ledger)" : "How was it settled? (kept in the ledger)"} value={note} onChange={(e) => setNote(e.target.value)} />
        <Button size="small" variant="secondary" disabled={note.trim().length < 3} isLoading={resolve.isPending} onClick={() => resolve.mutate()}>
          Mark resolved
        </Button>
        <Button size="small" variant="secondary" isLoading={recheck.isPending} onClick={() => recheck.mutate()}>
          Re-check
        </Button>
        {placeable ? (
          <Button size="small" isLoading={place.isPending} onClick={() => place.mutate()}>
            Place the order
          </Button>
        ) : null}
        {acceptable ? (
          <Button size="small" disabled={note.trim().length < 3} isLoading={accept.isPending} onClick={() => accept.mutate()} data-testid="mpesa-accept-claim">
            Accept payment
          </Button>
        ) : null}
      </div>
    </div>
  )
}

export const config = defineRouteConfig({ label: "M-Pesa", icon: CashSolid })

export default MpesaPage
