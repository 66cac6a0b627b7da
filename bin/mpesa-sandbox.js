#!/usr/bin/env node
/*
 * mpesa-sandbox: a local Lipia Online v2 + Lipwa M-Pesa API sandbox.
 * Runs the built CLI (`medusa plugin:build` writes it to .medusa/server); in a source
 * checkout that was never built, runs the TypeScript through @swc-node/register if present.
 */
"use strict"

const fs = require("node:fs")
const path = require("node:path")

const root = path.resolve(__dirname, "..")
const built = path.join(root, ".medusa", "server", "src", "sandbox", "cli.js")
const source = path.join(root, "src", "sandbox", "cli.ts")

function loadCli() {
  if (fs.existsSync(built)) {
    return require(built)
  }
  let register
  try {
    register = require.resolve("@swc-node/register", { paths: [root] })
  } catch {
    register = undefined
  }
  if (register && fs.existsSync(source)) {
    require(register)
    return require(source)
  }
  process.stderr.write("mpesa-sandbox: the sandbox is not built. Run `npm run build` first.\n")
  process.exit(1)
}

loadCli()
  .main(process.argv.slice(2))
  .catch((err) => {
    process.stderr.write(`mpesa-sandbox: ${err && err.message ? err.message : String(err)}\n`)
    process.exit(1)
  })
