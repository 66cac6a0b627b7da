// Small SVG charts for docs/performance.md: no chart library, so the doc renders on GitHub
// (an <img> of an .svg) and the bench needs nothing beyond Node.

const W = 760
const H = 380
const M = { top: 48, right: 24, bottom: 56, left: 64 }
const FONT = `font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif"`

const escape = (text) => String(text).replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c])

/** 1, 2, 5 × 10^k ticks covering [lo, hi] (lo > 0). */
export function logTicks(lo, hi) {
  const ticks = []
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** k
      if (t >= lo && t <= hi) {
        ticks.push(t)
      }
    }
  }
  return ticks
}

/** Round "nice" ticks for a linear axis from 0 to hi. */
export function linearTicks(hi, count = 5) {
  if (!(hi > 0)) {
    return [0]
  }
  const raw = hi / count
  const step = [1, 2, 2.5, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw)
  return Array.from({ length: Math.floor(hi / step) + 1 }, (_, i) => Math.round(i * step * 1000) / 1000)
}

const msLabel = (ms) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`)

function frame(title, body, legend) {
  const legendItems = legend
    .map(
      (item, i) =>
        `<g transform="translate(${M.left + 8 + (i % 2) * 300},${M.top + 10 + Math.floor(i / 2) * 18})">` +
        `<line x1="0" y1="0" x2="22" y2="0" stroke="${item.color}" stroke-width="3"${item.dash ? ` stroke-dasharray="6 4"` : ""}/>` +
        `<text x="28" y="4" font-size="12" fill="#222" ${FONT}>${escape(item.label)}</text></g>`
    )
    .join("")
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${M.left}" y="26" font-size="15" font-weight="600" fill="#111" ${FONT}>${escape(title)}</text>` +
    body +
    legendItems +
    `</svg>\n`
  )
}

function axes({ xTicks, xPos, xFormat, xLabel, yTicks, yPos, yFormat, yLabel }) {
  const x0 = M.left
  const x1 = W - M.right
  const y0 = H - M.bottom
  const y1 = M.top
  const grid = [
    ...yTicks.map(
      (t) =>
        `<line x1="${x0}" x2="${x1}" y1="${yPos(t)}" y2="${yPos(t)}" stroke="#e6e6e6"/>` +
        `<text x="${x0 - 8}" y="${yPos(t) + 4}" font-size="11" text-anchor="end" fill="#555" ${FONT}>${escape(yFormat(t))}</text>`
    ),
    ...xTicks.map(
      (t) =>
        `<line x1="${xPos(t)}" x2="${xPos(t)}" y1="${y0}" y2="${y1}" stroke="#efefef"/>` +
        `<text x="${xPos(t)}" y="${y0 + 18}" font-size="11" text-anchor="middle" fill="#555" ${FONT}>${escape(xFormat(t))}</text>`
    ),
  ].join("")
  return (
    grid +
    `<line x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}" stroke="#888"/>` +
    `<line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y1}" stroke="#888"/>` +
    `<text x="${(x0 + x1) / 2}" y="${H - 14}" font-size="12" text-anchor="middle" fill="#333" ${FONT}>${escape(xLabel)}</text>` +
    `<text transform="translate(16,${(y0 + y1) / 2}) rotate(-90)" font-size="12" text-anchor="middle" fill="#333" ${FONT}>${escape(yLabel)}</text>`
  )
}

/**
 * Cumulative distribution of latencies (ms), one step line per series, on a log time axis:
 * a curve to the left is faster, a long tail shows as a late climb to 100 %.
 */
export function cdfChart({ title, xLabel = "latency (log scale)", series }) {
  const all = series.flatMap((s) => s.values).filter((v) => v > 0)
  if (!all.length) {
    return frame(title, "", [])
  }
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all)))
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...all)))
  const xPos = (v) => M.left + ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (W - M.left - M.right)
  const yPos = (fraction) => H - M.bottom - fraction * (H - M.top - M.bottom - 40)
  const lines = series
    .map((s) => {
      const sorted = [...s.values].sort((a, b) => a - b)
      const points = sorted.flatMap((v, i) => [`${xPos(v).toFixed(1)},${yPos(i / sorted.length).toFixed(1)}`, `${xPos(v).toFixed(1)},${yPos((i + 1) / sorted.length).toFixed(1)}`])
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="6 4"` : ""} points="${points.join(" ")}"/>`
    })
    .join("")
  const body =
    axes({
      xTicks: logTicks(lo, hi),
      xPos,
      xFormat: msLabel,
      xLabel,
      yTicks: [0, 0.25, 0.5, 0.75, 1],
      yPos,
      yFormat: (t) => `${t * 100} %`,
      yLabel: "payments with their order by then",
    }) + lines
  return frame(title, body, series.map((s) => ({ label: `${s.label} (n ${s.values.length})`, color: s.color, dash: s.dash })))
}

/** Lines over time: `points` are `{ x, y }` (x in seconds, y in ms); a gap in y breaks the line. */
export function lineChart({ title, xLabel, yLabel, series }) {
  const xs = series.flatMap((s) => s.points.map((p) => p.x))
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y) => typeof y === "number")
  const xHi = Math.max(1, ...xs)
  const yTicks = linearTicks(Math.max(1, ...ys) * 1.1)
  const yHi = yTicks[yTicks.length - 1] || 1
  const xPos = (v) => M.left + (v / xHi) * (W - M.left - M.right)
  const yPos = (v) => H - M.bottom - (v / yHi) * (H - M.top - M.bottom - 40)
  const lines = series
    .map((s) => {
      const points = s.points.filter((p) => typeof p.y === "number").map((p) => `${xPos(p.x).toFixed(1)},${yPos(p.y).toFixed(1)}`)
      const dots = s.points
        .filter((p) => typeof p.y === "number")
        .map((p) => `<circle cx="${xPos(p.x).toFixed(1)}" cy="${yPos(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`)
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="6 4"` : ""} points="${points.join(" ")}"/>${dots.join("")}`
    })
    .join("")
  const body =
    axes({ xTicks: linearTicks(xHi, 6), xPos, xFormat: (t) => `${t} s`, xLabel, yTicks, yPos, yFormat: msLabel, yLabel }) + lines
  return frame(title, body, series.map((s) => ({ label: s.label, color: s.color, dash: s.dash })))
}
