// The store's databases: one PostgreSQL cluster kept in .tmp/bench/pg-cache between runs, a
// migrated and seeded template database in it, and a fresh copy of that template for every
// server that needs a clean store. Migrating and seeding Medusa takes minutes on 2 cores; a
// copy (CREATE DATABASE … TEMPLATE) takes about a second, and a second run skips the
// migration altogether while nothing it depends on has changed.

import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import path from "node:path"

import pg from "pg"

import { startPostgres } from "../../scripts/lib/postgres.mjs"

/**
 * What the template's content depends on, besides Medusa's version: the plugin's migrations
 * (and links, if it gets any), the bench store's configuration, its seed and the fixtures the
 * seed imports. A change to any of them builds a new template.
 */
export function templateInputs(root) {
  const files = ["bench/app/seed.ts", "bench/app/medusa-config.ts", "integration-tests/fixtures/store.ts", "integration-tests/fixtures/mpesa.ts"]
  const modules = path.join(root, "src", "modules")
  for (const module of existsSync(modules) ? readdirSync(modules, { withFileTypes: true }) : []) {
    if (module.isDirectory()) {
      files.push(...filesUnder(root, path.join("src", "modules", module.name, "migrations")))
    }
  }
  files.push(...filesUnder(root, path.join("src", "links")))
  return files.filter((f) => existsSync(path.join(root, f))).map((f) => ({ path: f, content: readFileSync(path.join(root, f)) }))
}

function filesUnder(root, dir) {
  if (!existsSync(path.join(root, dir))) {
    return []
  }
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(root, path.join(dir, entry.name)) : [path.join(dir, entry.name)]
  )
}

/** A short hash of the inputs (order-independent) and Medusa's version: the template's name. */
export function templateKey(inputs, medusaVersion) {
  const hash = createHash("sha256").update(`medusa ${medusaVersion}\0`)
  for (const { path: file, content } of [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file}\0`).update(content).update("\0")
  }
  return hash.digest("hex").slice(0, 12)
}

/**
 * Starts the cached cluster (.tmp/bench/pg-cache). If another run holds it, a throw-away
 * cluster of this run's own (deleted when it stops) is used instead; if it is damaged (no
 * PostgreSQL holds it, yet it does not start), it is deleted and made again. `files`: where the
 * files that describe its databases (the template's seed, the pool's carts) are kept.
 */
export async function startStorePostgres({ root, work, port }) {
  const cacheDir = path.join(work, "pg-cache")
  const start = (databaseDir, persistent) => startPostgres({ root, databaseDir, port, persistent, ownSignals: true })
  if (heldByAnother(cacheDir)) {
    // Its template's seed and its pool's cart list are written beside it, never over the
    // cached cluster's own (whose databases they would then no longer describe).
    const files = path.join(work, `pg-${port}-files`)
    mkdirSync(files, { recursive: true })
    return { ...(await start(path.join(work, `pg-${port}`), false)), cached: false, files }
  }
  try {
    return { ...(await start(cacheDir, true)), cached: true, files: work }
  } catch {
    rmSync(cacheDir, { recursive: true, force: true })
    return { ...(await start(cacheDir, true)), cached: true, files: work }
  }
}

/** Whether a live PostgreSQL runs on `dir` (its postmaster.pid names a process that exists). */
function heldByAnother(dir) {
  const pidFile = path.join(dir, "postmaster.pid")
  if (!existsSync(pidFile)) {
    return false
  }
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0])
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, owned by the postgres user.
    return error.code === "EPERM"
  }
}

/**
 * The template database for `key`, built by `build(databaseName, seedFile)` (migrate, seed) if
 * the cluster has none: built under a temporary name and renamed when done, so an interrupted
 * build is never taken for a template. Every other database of the bench (older templates, the
 * last run's copies) is dropped first. Returns { name, seed, reused }.
 */
export async function storeTemplate({ adminUrl, work, key, build }) {
  const name = `bench_tpl_${key}`
  const seedFile = path.join(work, `template-${key}.json`)
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%'`)
    const names = rows.map((r) => r.datname)
    const reused = names.includes(name) && existsSync(seedFile)
    for (const other of names.filter((n) => !kept(n, name, reused))) {
      await admin.query(`DROP DATABASE IF EXISTS "${other}" WITH (FORCE)`)
    }
    if (!reused) {
      const building = `${name}_building`
      await admin.query(`CREATE DATABASE "${building}"`)
      await build(building, seedFile)
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
    }
    return { name, seed: JSON.parse(readFileSync(seedFile, "utf8")), reused }
  } finally {
    await admin.end()
  }
}

/**
 * Which of the bench's databases survive a run's start: the store's template when it is reused,
 * and the cart pools built on it (cartsTemplateName); every other one (an older template, its
 * pools, the last run's copies) is dropped.
 */
export function kept(database, template, reused) {
  return reused && (database === template || database.startsWith(`${template}_c`))
}

/**
 * The name of a pool of carts ready to pay, built on the store's template: `size.free` carts of
 * the product that does not manage inventory and `size.stock` of the one that does. A new pool
 * when the template or the storefront's calls that prepare a cart (`prepareSource`) change.
 * Under PostgreSQL's 63 characters.
 */
export function cartsTemplateName(template, size, prepareSource) {
  return `${template}_c${size.free}f${size.stock}s_${prepareHash(prepareSource)}`
}

const prepareHash = (prepareSource) => createHash("sha256").update(prepareSource).digest("hex").slice(0, 8)

/**
 * Which pool of carts a run can use among the databases `names` on `template`: the largest
 * holding at least `size.free` and `size.stock` carts of each kind, prepared by the same calls,
 * whose list of carts was written (`hasList(name)`). Every other pool is dropped (an
 * interrupted build, other calls, a pool too small: it is built again at the size asked for).
 */
export function pickCartPool(names, { template, size, prepareSource, hasList }) {
  const hash = prepareHash(prepareSource)
  const usable = names
    .map((name) => ({ name, match: new RegExp(`^${template}_c(\\d+)f(\\d+)s_${hash}$`).exec(name) }))
    .filter(({ name, match }) => match && Number(match[1]) >= size.free && Number(match[2]) >= size.stock && hasList(name))
    .map(({ name, match }) => ({ name, total: Number(match[1]) + Number(match[2]) }))
    .sort((a, b) => b.total - a.total)
  const reuse = usable[0]?.name
  return { reuse, drop: names.filter((name) => name !== reuse) }
}

/**
 * The store's template with carts ready to pay in it (item, address, delivery, payment
 * collection: what a storefront does before its payment step), and their ids, each tagged with
 * its kind (`stock`: its product manages inventory). Preparing a cart is the same Store API
 * work for every kind of payment and is never timed, but it is most of a run's checkouts (the
 * payment phase's 1900 carts, the sustained run's, recovery's 500 prompts): made once through
 * the Store API by `build(databaseName)` (→ the carts), kept in the cluster beside the template,
 * and copied with it. A pool big enough is reused (a quick run takes the full run's); otherwise
 * one is built under a temporary name and renamed when done, as the template is.
 */
export async function cartsTemplate({ adminUrl, work, template, size, prepareSource, build }) {
  const listOf = (name) => path.join(work, `${name}.json`)
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}\\_c%`])
    const { reuse, drop } = pickCartPool(
      rows.map((r) => r.datname),
      { template, size, prepareSource, hasList: (name) => existsSync(listOf(name)) }
    )
    for (const other of drop) {
      await admin.query(`DROP DATABASE IF EXISTS "${other}" WITH (FORCE)`)
    }
    const name = reuse ?? cartsTemplateName(template, size, prepareSource)
    if (!reuse) {
      const building = `${name}_building`
      await admin.query(`CREATE DATABASE "${building}" TEMPLATE "${template}"`)
      const carts = await build(building)
      const counted = { free: carts.filter((c) => !c.stock).length, stock: carts.filter((c) => c.stock).length }
      if (counted.free !== size.free || counted.stock !== size.stock) {
        throw new Error(`the cart pool was built with ${counted.free} + ${counted.stock} carts, not ${size.free} + ${size.stock}`)
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
      writeFileSync(listOf(name), JSON.stringify(carts))
    }
    return { name, carts: JSON.parse(readFileSync(listOf(name), "utf8")), reused: !!reuse }
  } finally {
    await admin.end()
  }
}

/**
 * Carts a database copy must hold ready to pay, of each kind. Without inventory (`free`): the
 * payment phase's (2 × N per round, one server) and the sustained run's (`sustainedCarts`, on
 * the same server), or recovery's prompts (on a copy of its own), whichever is more. With
 * inventory (`stock`): the kept check's run of each kind at `stockRun` shoppers.
 */
export function cartPoolSize(size) {
  const payment = size.payment.reduce((sum, n) => sum + 2 * n * size.paymentRounds[n], 0)
  return { free: Math.max(payment + (size.sustainedCarts ?? 0), size.recovery), stock: 2 * (size.stockRun ?? 0) }
}

/** A fresh copy of the template named `name` (the one of an earlier run with that name is dropped). */
export async function copyOfTemplate({ adminUrl, template, name }) {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
  } finally {
    await admin.end()
  }
}
