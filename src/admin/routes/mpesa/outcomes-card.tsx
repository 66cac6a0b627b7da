import { Container, Heading, Select, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useState } from "react"

import { sdk } from "../../lib/sdk"

/** What GET /admin/mpesa/outcomes answers (src/workflows/queries/prompt-outcomes.ts). */
type Bucket = { key: string; label: string; description: string }
type Day = { day: string; counts: Record<string, number>; total: number; waiting: number; median_seconds_to_pay: number | null }
type GatewayOutcomes = {
  gateway: string
  days: Day[]
  totals: Record<string, number>
  total: number
  waiting: number
  paid_rate: number | null
  median_seconds_to_pay: number | null
}
type Outcomes = { from: string; to: string; buckets: Bucket[]; gateways: GatewayOutcomes[] }

const PERIODS = [7, 14, 30, 90] as const

// Fixed per bucket, so a colour means the same thing on every day, gateway and visit. Timeouts
// and cancellations are the two a merchant watches most: red and amber, far apart.
const COLOURS: Record<string, string> = {
  paid: "#16a34a",
  cancelled: "#f59e0b",
  timeout: "#dc2626",
  insufficient_funds: "#7c3aed",
  wrong_pin: "#db2777",
  not_sent: "#475569",
  other: "#a8a29e",
}
const UNKNOWN_COLOUR = "#d4d4d4"

const GATEWAY_LABELS: Record<string, string> = { lipia: "Lipia", lipwa: "Lipwa" }

// The server counts per Nairobi day (UTC+3 all year); the admin's browser may be elsewhere, so
// "today" is asked of the same calendar or the last day of the chart would shift.
const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000
function nairobiDaysAgo(days: number): string {
  return new Date(Date.now() + NAIROBI_OFFSET_MS - days * DAY_MS).toISOString().slice(0, 10)
}

/**
 * How prompts end, at a glance: per gateway, a bar per day stacked by how its prompts ended, so
 * a merchant sees at once that timeouts doubled since Tuesday. Drawn as plain SVG.
 */
export const OutcomesCard = () => {
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>(14)
  const { data, error, isPending } = useQuery({
    queryKey: ["mpesa-outcomes", period],
    queryFn: () => sdk.client.fetch<Outcomes>("/admin/mpesa/outcomes", { query: { from: nairobiDaysAgo(period - 1), to: nairobiDaysAgo(0) } }),
  })
  const prompts = (data?.gateways ?? []).reduce((n, g) => n + g.total + g.waiting, 0)

  return (
    <Container className="divide-y p-0" data-testid="mpesa-outcomes">
      <div className="flex items-start justify-between gap-x-4 px-6 py-4">
        <div>
          <Heading level="h2">How prompts end</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Each M-Pesa prompt sent, by the day it was sent (Nairobi time) and how it ended.
          </Text>
        </div>
        <Select size="small" value={String(period)} onValueChange={(value) => setPeriod(Number(value) as (typeof PERIODS)[number])}>
          <Select.Trigger aria-label="Period" className="w-36">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            {PERIODS.map((days) => (
              <Select.Item key={days} value={String(days)}>
                Last {days} days
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      </div>
      {error ? (
        <Text size="small" className="px-6 py-4 text-ui-fg-error">
          {(error as Error).message}
        </Text>
      ) : isPending ? (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          Loading…
        </Text>
      ) : !prompts ? (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle" data-testid="mpesa-outcomes-empty">
          No M-Pesa prompts were sent in the last {period} days.
        </Text>
      ) : (
        <>
          {data.gateways.map((gateway) => (
            <GatewayChart key={gateway.gateway} gateway={gateway} buckets={data.buckets} />
          ))}
          <Legend buckets={data.buckets} />
          <OtherExplained gateways={data.gateways} buckets={data.buckets} />
        </>
      )}
    </Container>
  )
}

const GatewayChart = ({ gateway, buckets }: { gateway: GatewayOutcomes; buckets: Bucket[] }) => {
  const name = GATEWAY_LABELS[gateway.gateway] ?? gateway.gateway
  const prompts = gateway.total + gateway.waiting
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="mpesa-outcomes-gateway" data-gateway={gateway.gateway}>
      {/* Inline gap: the dashboard's stylesheet only has the utility classes its own pages use. */}
      <div className="flex flex-wrap items-baseline gap-y-1" style={{ columnGap: "1.5rem" }}>
        <Text size="small" weight="plus">
          {name}
        </Text>
        <Headline value={prompts.toLocaleString("en-KE")} label={gateway.waiting ? `prompts (${gateway.waiting} still waiting)` : "prompts"} />
        <Headline value={gateway.paid_rate === null ? "—" : `${Math.round(gateway.paid_rate * 1000) / 10}%`} label="paid" />
        <Headline value={duration(gateway.median_seconds_to_pay)} label="median time to pay" />
      </div>
      <BarChart gateway={gateway} buckets={buckets} name={name} />
    </div>
  )
}

const Headline = ({ value, label }: { value: string; label: string }) => (
  <Text size="small">
    <span className="text-ui-fg-base txt-compact-medium-plus">{value}</span> <span className="text-ui-fg-subtle">{label}</span>
  </Text>
)

const WIDTH = 720
const HEIGHT = 140
const AXIS = 18
const GAP = 0.25
/** About 31 days fit with their counts on top; a longer period keeps them in the hover text. */
const MIN_SLOT_FOR_COUNT = 20

/** One bar per day, its segments stacked in the legend's order; each segment says what it is on hover. */
const BarChart = ({ gateway, buckets, name }: { gateway: GatewayOutcomes; buckets: Bucket[]; name: string }) => {
  const days = gateway.days
  const tallest = Math.max(1, ...days.map((d) => d.total))
  const slot = WIDTH / Math.max(1, days.length)
  const barWidth = Math.max(1, slot * (1 - GAP))
  const plot = HEIGHT - AXIS
  const labelEvery = Math.max(1, Math.ceil(days.length / 8))
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      className="block"
      role="img"
      aria-label={`${name}: prompts per day by how they ended, ${days[0]?.day} to ${days[days.length - 1]?.day}`}
    >
      <line x1={0} x2={WIDTH} y1={plot + 0.5} y2={plot + 0.5} stroke="#e5e7eb" />
      {/* The scale, for a period too long for counts on the bars (it would sit on the last bar's count). */}
      {slot >= MIN_SLOT_FOR_COUNT ? null : (
        <text x={WIDTH} y={10} textAnchor="end" fontSize={10} fill="#6b7280">
          {tallest} a day
        </text>
      )}
      {days.map((day, i) => {
        const x = i * slot + (slot - barWidth) / 2
        let top = plot
        return (
          <g key={day.day} data-day={day.day}>
            {buckets.map((bucket) => {
              const n = day.counts[bucket.key] ?? 0
              if (!n) {
                return null
              }
              const height = (n / tallest) * (plot - 16)
              top -= height
              return (
                <rect key={bucket.key} x={x} y={top} width={barWidth} height={height} fill={COLOURS[bucket.key] ?? UNKNOWN_COLOUR} data-bucket={bucket.key}>
                  <title>{`${shortDay(day.day)} · ${name}: ${n} ${bucket.label.toLowerCase()} of ${day.total} ended (${Math.round((n / day.total) * 100)}%)`}</title>
                </rect>
              )
            })}
            {/* The day's count on its bar, readable without hovering: only where the bar is wide enough to hold it. */}
            {day.total && slot >= MIN_SLOT_FOR_COUNT ? (
              <text x={x + barWidth / 2} y={top - 3} textAnchor="middle" fontSize={10} fill="#374151" data-testid="mpesa-outcomes-count">
                {day.total}
              </text>
            ) : null}
            {/* Counted back from the last day, so today is always labelled. */}
            {(days.length - 1 - i) % labelEvery === 0 ? (
              <text x={i * slot + slot / 2} y={HEIGHT - 4} textAnchor="middle" fontSize={10} fill="#6b7280">
                {shortDay(day.day)}
              </text>
            ) : null}
          </g>
        )
      })}
    </svg>
  )
}

const Legend = ({ buckets }: { buckets: Bucket[] }) => (
  <div className="flex flex-wrap gap-x-4 gap-y-1 px-6 py-3" data-testid="mpesa-outcomes-legend">
    {buckets.map((bucket) => (
      <span key={bucket.key} className="flex items-center gap-x-1.5" title={bucket.description}>
        <svg width={10} height={10} aria-hidden>
          <rect width={10} height={10} rx={2} fill={COLOURS[bucket.key] ?? UNKNOWN_COLOUR} />
        </svg>
        <Text size="xsmall" className="text-ui-fg-subtle">
          {bucket.label}
        </Text>
      </span>
    ))}
  </div>
)

/**
 * "Other" in words, under the legend whenever a chart has any: what it holds, and — since Lipwa
 * reports a failed prompt with no reason at all — that its failures can only be counted there.
 */
const OtherExplained = ({ gateways, buckets }: { gateways: GatewayOutcomes[]; buckets: Bucket[] }) => {
  const other = buckets.find((b) => b.key === "other")
  const withOther = gateways.filter((g) => (g.totals.other ?? 0) > 0)
  if (!other || !withOther.length) {
    return null
  }
  const lipwa = withOther.find((g) => g.gateway === "lipwa")
  return (
    <Text size="xsmall" className="px-6 pb-3 text-ui-fg-subtle" data-testid="mpesa-outcomes-other">
      <span className="font-medium">Other</span> ({withOther.map((g) => `${GATEWAY_LABELS[g.gateway] ?? g.gateway}: ${g.totals.other}`).join(", ")}): {other.description}
      {lipwa ? " Most of Lipwa's are failures it gave no reason for: the payments list above shows each one with what is known." : ""}
    </Text>
  )
}

/** "Dec 1" for a YYYY-MM-DD day, read as a calendar day, not shifted into the browser's zone. */
function shortDay(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString("en-KE", { month: "short", day: "numeric", timeZone: "UTC" })
}

function duration(seconds: number | null): string {
  if (seconds === null) {
    return "—"
  }
  const whole = Math.round(seconds)
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`
}
