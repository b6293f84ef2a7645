-- 13 · supabase_vault, enabled as on every Supabase database: vault.create_secret(),
-- vault.update_secret() and the vault.decrypted_secrets view.
--
-- On the servers basekit runs, `supabase_vault` is basekit's SQL version (src/extensions/
-- supabase-vault: same tables, view, functions and privileges; encrypted with pgcrypto under a
-- root key kept outside the database, src/db/vault-key.ts). On an external server that ships the
-- real extension, this creates the real one.
--
-- Mirrors: supabase/postgres init (create extension supabase_vault with schema vault) and the
-- grants its after-create script gives postgres (with grant option, so a migration can share
-- them with service_role); anon, authenticated and service_role get nothing by default.

set local role supabase_admin;

do $$
begin
  if exists (select from pg_catalog.pg_available_extensions where name = 'supabase_vault') then
    create schema if not exists vault;
    create extension if not exists supabase_vault with schema vault;
    grant usage on schema vault to postgres with grant option;
    grant select, delete, truncate, references on vault.secrets, vault.decrypted_secrets to postgres with grant option;
    grant execute on function vault.create_secret(text, text, text, uuid), vault.update_secret(uuid, text, text, text, uuid),
      vault._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea) to postgres with grant option;
  else
    raise notice 'supabase_vault is not available on this server: vault.* stays undefined';
  end if;
end $$;

reset role;
