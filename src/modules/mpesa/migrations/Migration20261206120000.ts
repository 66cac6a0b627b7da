import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** The unmatched callbacks newest first, for keeping only the newest of them (models/mpesa-callback.ts). */
export class Migration20261206120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_mpesa_callback_unmatched" ON "mpesa_callback" ("received_at", "id") WHERE attempt_id IS NULL AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_mpesa_callback_unmatched";`)
  }
}
