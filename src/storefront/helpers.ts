/**
 * `medusa-plugin-mpesa/storefront/helpers`: what a storefront needs on the server and the
 * client alike (no React): start a payment, read its status, name the option, find the receipt.
 */
export * from "./checkout.js"
export * from "./start-payment.js"
