// One config, two suites (as Medusa's starters do): TEST_TYPE picks which files run.
// scripts/test.js runs both and is what `npm test` calls.
const transform = {
  "^.+\\.m?[jt]sx?$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript", tsx: true, decorators: true }, target: "es2021" } },
  ],
}

const testMatch = {
  unit: ["<rootDir>/src/**/__tests__/**/*.spec.[jt]s", "<rootDir>/tests/**/*.spec.[jt]s", "<rootDir>/bench/__tests__/**/*.spec.mjs"],
  integration: ["<rootDir>/integration-tests/http/**/*.spec.[jt]s"],
  browser: ["<rootDir>/integration-tests/browser/**/*.spec.[jt]s"],
  scale: ["<rootDir>/integration-tests/scale/**/*.spec.[jt]s"],
}

module.exports = {
  transform,
  testEnvironment: "node",
  // The storefront drop-in is ES modules, whose relative imports name the built `.js` file.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  moduleFileExtensions: ["js", "mjs", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/.medusa/", "<rootDir>/.tmp/", "<rootDir>/integration-tests/browser/app/", "<rootDir>/integration-tests/browser/vendor/", "<rootDir>/integration-tests/scale/app/"],
  testMatch: testMatch[process.env.TEST_TYPE || "unit"],
  setupFiles: process.env.TEST_TYPE === "integration" ? ["<rootDir>/integration-tests/setup.js"] : [],
}
