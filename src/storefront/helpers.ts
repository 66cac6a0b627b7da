/**
 * `medusa-plugin-mpesa/storefront/helpers`: what a storefront needs on the server and the
 * client alike (no React): start a payment, read its status, name the option, find the receipt,
 * show the number a prompt went to.
 */
export * from "./checkout.js"
export * from "./shown-phone.js"
export * from "./start-payment.js"
