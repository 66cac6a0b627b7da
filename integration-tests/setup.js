// Each test file boots its own Medusa app; MikroORM's metadata registry is global and must
// be emptied between them (as Medusa's starter does).
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()
