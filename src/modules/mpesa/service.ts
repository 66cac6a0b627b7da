import { MedusaService } from "@medusajs/framework/utils"

import { MpesaAttempt } from "./models/mpesa-attempt"

/** The plugin's ledger of STK attempts (`listMpesaAttempts`, `createMpesaAttempts`, …). */
export default class MpesaModuleService extends MedusaService({ MpesaAttempt }) {}
