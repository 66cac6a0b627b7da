import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** The callback log: every callback as received, matched to its attempt or not (models/mpesa-callback.ts). */
export class Migration20261204090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "mpesa_callback" ("id" text not null, "gateway" text check ("gateway" in ('lipia', 'lipwa')) not null, "attempt_id" text null, "named_id" text null, "signature_valid" boolean not null, "body" text not null, "headers" jsonb not null, "answer_status" integer not null, "answer_code" text null, "answer_message" text null, "received_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "mpesa_callback_pkey" primary key ("id"));`
    )
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_callback_attempt_id" ON "mpesa_callback" ("attempt_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_callback_received_at" ON "mpesa_callback" ("received_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_callback_gateway_received_at" ON "mpesa_callback" ("gateway", "received_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_callback_deleted_at" ON "mpesa_callback" ("deleted_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mpesa_callback" cascade;`)
  }
}
