import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import type { AttemptState } from "../../payment/attempt"
import {
  addDays,
  CHART_TIME_ZONE,
  daysOfPeriod,
  nairobiMidnight,
  PAID_STATES,
  PROMPT_BUCKET_WORDS,
  PROMPT_BUCKETS,
  promptOutcomeOf,
  type PromptBucket,
} from "../../payment/prompt-outcome"

type Gateway = "lipia" | "lipwa"

/** A period of Nairobi calendar days, both included (`YYYY-MM-DD`), already validated. */
export type PromptOutcomesQuery = { from: string; to: string; gateway?: Gateway }

export type BucketCounts = Record<PromptBucket, number>

export type DayOutcomes = {
  day: string
  counts: BucketCounts
  /** Prompts pushed that day that have ended (the sum of `counts`). */
  total: number
  /** Prompts pushed that day still on the phone: not charted, not in the paid rate. */
  waiting: number
  median_seconds_to_pay: number | null
}

export type GatewayOutcomes = {
  gateway: Gateway
  days: DayOutcomes[]
  totals: BucketCounts
  total: number
  waiting: number
  /** Paid prompts over ended prompts (0–1), null when none ended. */
  paid_rate: number | null
  /** Median seconds from the push to the payment being recorded, over paid prompts. */
  median_seconds_to_pay: number | null
}

export type PromptOutcomes = {
  from: string
  to: string
  time_zone: typeof CHART_TIME_ZONE
  /** The legend, in stacking order. */
  buckets: Array<{ key: PromptBucket; label: string; description: string }>
  gateways: GatewayOutcomes[]
}

// The ledger's table (modules/mpesa/models/mpesa-attempt.ts). It is read directly because the
// module's list methods cannot group or take percentiles, and this page must stay cheap over a
// year of prompts: PostgreSQL returns a few rows per day, not one per prompt.
const TABLE = "mpesa_attempt"
const DAY = `to_char(pushed_at at time zone '${CHART_TIME_ZONE}', 'YYYY-MM-DD')`
const SECONDS_TO_PAY = "extract(epoch from settled_at - pushed_at)::float8"

type CountRow = { day: string; gateway: Gateway; state: AttemptState; outcome: string | null; result_code: number | null; prompts: number }
type MedianRow = { day: string | null; gateway: Gateway; median_seconds: number | null }

/**
 * How the prompts pushed in a period ended, per Nairobi day and gateway: PostgreSQL counts rows
 * per day × gateway × (state, outcome, result code) and takes the medians; the pure rule
 * promptOutcomeOf then folds those few rows into the chart's buckets, so the mapping lives in
 * one place. Every day of the period is listed, with zeros, so the chart's x-axis has no gaps.
 */
export async function promptOutcomes(container: MedusaContainer, query: PromptOutcomesQuery): Promise<PromptOutcomes> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const start = nairobiMidnight(query.from)
  const end = nairobiMidnight(addDays(query.to, 1))
  const inPeriod = (builder: ReturnType<typeof pg.queryBuilder>) => {
    // A payment recorded by its receipt was never a prompt: it would flatter the paid rate.
    builder.from(TABLE).whereNull("deleted_at").whereNot("origin", "recorded").where("pushed_at", ">=", start).andWhere("pushed_at", "<", end)
    if (query.gateway) {
      builder.andWhere("gateway", query.gateway)
    }
    return builder
  }

  const [countRows, medianRows] = await Promise.all([
    inPeriod(pg.queryBuilder())
      .select(pg.raw(`${DAY} as day`), "gateway", "state", "outcome", "result_code", pg.raw("count(*)::int as prompts"))
      .groupByRaw(`${DAY}, gateway, state, outcome, result_code`) as Promise<CountRow[]>,
    pg
      .with("paid", (paid) =>
        inPeriod(paid)
          .select(pg.raw(`${DAY} as day`), "gateway", pg.raw(`${SECONDS_TO_PAY} as seconds`))
          .whereIn("state", [...PAID_STATES])
          .whereNotNull("settled_at")
      )
      .from("paid")
      // (gateway, day) gives each day's median, (gateway) the period's: medians do not add up.
      .select("day", "gateway", pg.raw("percentile_cont(0.5) within group (order by seconds) as median_seconds"))
      .groupByRaw("grouping sets ((gateway, day), (gateway))") as Promise<MedianRow[]>,
  ])

  const gateways = new Set<Gateway>(countRows.map((row) => row.gateway))
  if (query.gateway) {
    gateways.add(query.gateway)
  }
  const days = daysOfPeriod(query.from, query.to)
  const median = new Map(medianRows.map((row) => [`${row.gateway}/${row.day ?? "*"}`, roundSeconds(row.median_seconds)]))

  return {
    from: query.from,
    to: query.to,
    time_zone: CHART_TIME_ZONE,
    buckets: PROMPT_BUCKETS.map((key) => ({ key, ...PROMPT_BUCKET_WORDS[key] })),
    gateways: [...gateways].sort().map((gateway) => {
      const perDay = new Map(days.map((day) => [day, { counts: noCounts(), waiting: 0 }]))
      for (const row of countRows) {
        const slot = row.gateway === gateway ? perDay.get(row.day) : undefined
        if (!slot) {
          continue
        }
        const bucket = promptOutcomeOf(row)
        if (bucket === "waiting") {
          slot.waiting += row.prompts
        } else {
          slot.counts[bucket] += row.prompts
        }
      }
      const totals = noCounts()
      let waiting = 0
      const dayList = days.map((day) => {
        const slot = perDay.get(day)!
        for (const bucket of PROMPT_BUCKETS) {
          totals[bucket] += slot.counts[bucket]
        }
        waiting += slot.waiting
        return { day, counts: slot.counts, total: sum(slot.counts), waiting: slot.waiting, median_seconds_to_pay: median.get(`${gateway}/${day}`) ?? null }
      })
      const total = sum(totals)
      return {
        gateway,
        days: dayList,
        totals,
        total,
        waiting,
        paid_rate: total ? Math.round((totals.paid / total) * 10_000) / 10_000 : null,
        median_seconds_to_pay: median.get(`${gateway}/*`) ?? null,
      }
    }),
  }
}

function noCounts(): BucketCounts {
  return Object.fromEntries(PROMPT_BUCKETS.map((bucket) => [bucket, 0])) as BucketCounts
}

function sum(counts: BucketCounts): number {
  return PROMPT_BUCKETS.reduce((n, bucket) => n + counts[bucket], 0)
}

function roundSeconds(seconds: number | string | null): number | null {
  return seconds === null ? null : Math.round(Number(seconds) * 10) / 10
}
