import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CashSolid } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Input, Select, Table, Text, toast } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { Link, useNavigate } from "react-router-dom"

import { AttentionRow } from "../../components/attention-row"
import { Pager } from "../../components/pager"
import { FLAG_WORDS, kes, orderNumber, orderPath, STATE_WORDS, stateColor, testModeLine, when } from "../../lib/format"
import { sdk } from "../../lib/sdk"
import type { AttemptList, ProviderSummary } from "../../lib/types"
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
 * do and the actions that settle it), then the whole ledger with filters, search as customers
 * describe a payment (their phone, the order's number, the receipt), pagination and a CSV
 * export. A row opens the attempt's own page (attempts/[id]/page.tsx).
 */
const MpesaPage = () => {
  const navigate = useNavigate()
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
          <Input
            size="small"
            type="search"
            aria-label="Search payments"
            placeholder="Phone, order #, receipt…"
            value={filters.q}
            onChange={(e) => set("q")(e.target.value)}
            data-testid="mpesa-search"
          />
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
              <Table.Row
                key={attempt.id}
                className="cursor-pointer"
                onClick={() => navigate(`/mpesa/attempts/${attempt.id}`)}
                data-testid="mpesa-payment-row"
              >
                <Table.Cell>{when(attempt.pushed_at)}</Table.Cell>
                <Table.Cell>{attempt.gateway}</Table.Cell>
                <Table.Cell>{attempt.receipt ?? "—"}</Table.Cell>
                <Table.Cell>
                  {kes(attempt.amount_paid ?? attempt.amount_requested)}
                </Table.Cell>
                <Table.Cell>{attempt.phone_masked}</Table.Cell>
                <Table.Cell>
                  {orderPath(attempt) ? (
                    <Link
                      to={orderPath(attempt)!}
                      className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover"
                      onClick={(e) => e.stopPropagation()}
                      title={attempt.for_order_id ?? undefined}
                    >
                      {orderNumber(attempt)}
                    </Link>
                  ) : (
                    "—"
                  )}
                </Table.Cell>
                <Table.Cell>
                  <Badge size="2xsmall" color={stateColor(attempt)}>
                    {attempt.state_in_words}
                  </Badge>
                  {attempt.failure_reason ? (
                    <Text size="xsmall" className="text-ui-fg-subtle mt-0.5 max-w-[16rem] whitespace-normal" data-testid="mpesa-failure-reason">
                      {attempt.failure_reason}
                    </Text>
                  ) : null}
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

export const config = defineRouteConfig({ label: "M-Pesa", icon: CashSolid })

export default MpesaPage
