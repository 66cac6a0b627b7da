import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123125640 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "mpesa_attempt" drop constraint if exists "mpesa_attempt_receipt_unique";`);
    this.addSql(`alter table if exists "mpesa_attempt" drop constraint if exists "mpesa_attempt_gateway_reference_unique";`);
    this.addSql(`create table if not exists "mpesa_attempt" ("id" text not null, "gateway" text check ("gateway" in ('lipia', 'lipwa')) not null, "session_id" text not null, "provider_id" text null, "payment_collection_id" text null, "cart_id" text null, "order_id" text null, "reference" text not null, "callback_reference" text not null, "checkout_id" text null, "phone_masked" text not null, "phone_hash" text not null, "amount_requested" integer not null, "amount_paid" integer null, "state" text check ("state" in ('pending', 'paid', 'failed', 'expired', 'superseded')) not null default 'pending', "result_code" integer null, "message" text null, "receipt" text null, "amount_mismatch" boolean not null default false, "paid_without_order" boolean not null default false, "late_success" boolean not null default false, "pushed_at" timestamptz not null, "settled_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "mpesa_attempt_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_deleted_at" ON "mpesa_attempt" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_mpesa_attempt_gateway_reference_unique" ON "mpesa_attempt" ("gateway", "reference") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_mpesa_attempt_receipt_unique" ON "mpesa_attempt" ("receipt") WHERE receipt IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_session_id" ON "mpesa_attempt" ("session_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_state" ON "mpesa_attempt" ("state") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mpesa_attempt" cascade;`);
  }

}
