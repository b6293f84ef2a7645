-- basekit's supabase_vault 0.3.1: the tables, view and functions of supabase/vault 0.3.x, with the
-- AEAD that Supabase does in C (libsodium, key from pgsodium's root key file) done here with
-- pgcrypto: AES-256-CBC under a key derived from the root key, then HMAC-SHA-256 over nonce,
-- associated data and ciphertext (encrypt-then-MAC), so a changed byte or a secret moved to
-- another row fails to decrypt instead of decrypting to garbage.
--
-- The root key never lives in the database: the local stack writes it to a file in the server's
-- data directory (basekit_vault_root.key) at every start, and only the security-definer function
-- below, owned by the superuser, reads it. Dumps and replicas hold only ciphertext.
\echo Use "CREATE EXTENSION supabase_vault" to load this file. \quit

create function vault._crypto_root_key()
returns bytea
language plpgsql
security definer
set search_path = ''
as $$
declare
  key_hex text := pg_catalog.pg_read_file('basekit_vault_root.key', 0, 64, true);
begin
  if key_hex is null or pg_catalog.length(key_hex) <> 64 then
    raise exception 'vault: the root key file basekit_vault_root.key is missing from the data directory'
      using hint = 'basekit writes it at start; start the stack (basekit start) or run basekit db reset.',
            errcode = '58P01';
  end if;
  return pg_catalog.decode(key_hex, 'hex');
end;
$$;

create function vault._crypto_subkey(purpose text, key_id bigint, context bytea)
returns bytea
language sql
security definer
set search_path = ''
as $$
  select extensions.hmac(context || '\x00'::bytea || pg_catalog.convert_to(purpose, 'utf8') || pg_catalog.int8send(key_id),
                         vault._crypto_root_key(), 'sha256')
$$;

create function vault._crypto_aead_det_noncegen()
returns bytea
language sql
security definer
set search_path = ''
as $$ select extensions.gen_random_bytes(16) $$;

create function vault._crypto_aead_det_encrypt(message bytea, additional bytea, key_id bigint, context bytea = 'pgsodium', nonce bytea = null)
returns bytea
language plpgsql
security definer
set search_path = ''
as $$
declare
  mac_key bytea := vault._crypto_subkey('authenticate', key_id, context);
  iv bytea := nonce;
  body bytea;
  tag bytea;
begin
  -- Without a nonce the IV is synthetic (from the message) and travels in front of the result.
  if iv is null then
    iv := pg_catalog.substr(extensions.hmac(additional || message, mac_key, 'sha256'), 1, 16);
  end if;
  body := extensions.encrypt_iv(message, vault._crypto_subkey('encrypt', key_id, context), iv, 'aes-cbc/pad:pkcs');
  tag := extensions.hmac(iv || pg_catalog.int4send(pg_catalog.length(additional)) || additional || body, mac_key, 'sha256');
  return case when nonce is null then iv else ''::bytea end || body || tag;
end;
$$;

create function vault._crypto_aead_det_decrypt(message bytea, additional bytea, key_id bigint, context bytea = 'pgsodium', nonce bytea = null)
returns bytea
language plpgsql
security definer
set search_path = ''
as $$
declare
  iv bytea := nonce;
  data bytea := message;
  body bytea;
begin
  if iv is null then
    iv := pg_catalog.substr(message, 1, 16);
    data := pg_catalog.substr(message, 17);
  end if;
  if pg_catalog.length(data) < 48 then
    raise exception 'vault: invalid ciphertext' using errcode = '22000';
  end if;
  body := pg_catalog.substr(data, 1, pg_catalog.length(data) - 32);
  if extensions.hmac(iv || pg_catalog.int4send(pg_catalog.length(additional)) || additional || body,
                     vault._crypto_subkey('authenticate', key_id, context), 'sha256')
     <> pg_catalog.substr(data, pg_catalog.length(data) - 31) then
    raise exception 'vault: invalid ciphertext' using errcode = '22000';
  end if;
  return extensions.decrypt_iv(body, vault._crypto_subkey('encrypt', key_id, context), iv, 'aes-cbc/pad:pkcs');
end;
$$;

create table vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default vault._crypto_aead_det_noncegen(),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
comment on table vault.secrets is 'Table with encrypted `secret` column for storing sensitive information on disk.';
create unique index on vault.secrets using btree (name) where name is not null;

create view vault.decrypted_secrets as
select s.id,
       s.name,
       s.description,
       s.secret,
       pg_catalog.convert_from(
         vault._crypto_aead_det_decrypt(
           message := pg_catalog.decode(s.secret, 'base64'),
           additional := pg_catalog.convert_to(s.id::text, 'utf8'),
           key_id := 0,
           context := 'pgsodium'::bytea,
           nonce := s.nonce),
         'utf8') as decrypted_secret,
       s.key_id,
       s.nonce,
       s.created_at,
       s.updated_at
from vault.secrets s;

create function vault.create_secret(new_secret text, new_name text = null, new_description text = '', new_key_id uuid = null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  rec record;
begin
  insert into vault.secrets (secret, name, description)
  values (new_secret, new_name, new_description)
  returning * into rec;
  -- The id is the associated data, so the row exists before its secret is encrypted.
  update vault.secrets s
  set secret = pg_catalog.encode(vault._crypto_aead_det_encrypt(
        message := pg_catalog.convert_to(rec.secret, 'utf8'),
        additional := pg_catalog.convert_to(s.id::text, 'utf8'),
        key_id := 0,
        context := 'pgsodium'::bytea,
        nonce := rec.nonce), 'base64')
  where s.id = rec.id;
  return rec.id;
end;
$$;

create function vault.update_secret(secret_id uuid, new_secret text = null, new_name text = null, new_description text = null, new_key_id uuid = null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update vault.secrets s
  set secret = case when new_secret is null then s.secret
                    else pg_catalog.encode(vault._crypto_aead_det_encrypt(
                      message := pg_catalog.convert_to(new_secret, 'utf8'),
                      additional := pg_catalog.convert_to(s.id::text, 'utf8'),
                      key_id := 0,
                      context := 'pgsodium'::bytea,
                      nonce := s.nonce), 'base64') end,
      name = coalesce(new_name, s.name),
      description = coalesce(new_description, s.description),
      updated_at = now()
  where s.id = secret_id;
end;
$$;

revoke all on function
  vault._crypto_root_key(),
  vault._crypto_subkey(text, bigint, bytea),
  vault._crypto_aead_det_encrypt(bytea, bytea, bigint, bytea, bytea),
  vault._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea),
  vault._crypto_aead_det_noncegen(),
  vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid)
from public;

select pg_catalog.pg_extension_config_dump('vault.secrets', '');
