import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** For the admin view: when callbacks arrived, and how the merchant resolved a flagged payment. */
export class Migration20261128100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "mpesa_attempt" add column if not exists "callback_at" timestamptz null, add column if not exists "resolved_at" timestamptz null, add column if not exists "resolved_by" text null, add column if not exists "resolution_note" text null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "mpesa_attempt" drop column if exists "callback_at", drop column if exists "resolved_at", drop column if exists "resolved_by", drop column if exists "resolution_note";`
    )
  }
}
