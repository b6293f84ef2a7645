-- 06 · The storage schema as Supabase Storage leaves it after its tenant migrations.
--
-- The image only creates the schema (02) and the role; Storage's server migrates it at boot, as
-- supabase_storage_admin. basekit writes the end state. Policies on storage.objects are the
-- user's to write (Supabase creates none): with RLS on and no policy, the API roles see nothing.
--
-- Mirrors: supabase/storage migrations/tenant/0001..0061 (v1.60.x as pinned by CLI v2.104, plus
-- 0061 which marks filename() immutable) and supabase/postgres init-scripts/00000000000002-
-- storage-schema.sql, 20250421084701 (storage.migrations revoked), 20250623125453 (postgres WITH
-- GRANT OPTION). Left out: the analytics/vector bucket tables (buckets_analytics, buckets_vectors,
-- iceberg_*, vector_indexes), the 2026-08 object-versioning columns, and Storage's internal listing
-- functions (list_objects_with_delimiter, search_v2, search_by_timestamp,
-- list_multipart_uploads_with_delimiter); basekit's storage service queries the tables itself.

set local role supabase_storage_admin;

create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');

-- Storage's own migration ledger (postgres-migrations format). Left empty: basekit does not run
-- Storage's migrations, and the hashes are of Storage's files.
create table storage.migrations (
  id integer not null,
  name varchar(100) not null,
  hash varchar(40) not null,
  executed_at timestamp default current_timestamp,
  constraint migrations_pkey primary key (id),
  constraint migrations_name_key unique (name)
);
comment on table storage.migrations is 'Storage server migrations applied to this database (empty under basekit).';

create table storage.buckets (
  id text not null,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text,
  type storage.buckettype not null default 'STANDARD',
  constraint buckets_pkey primary key (id)
);
comment on table storage.buckets is 'Storage buckets. Public buckets serve reads without RLS; everything else goes through policies on storage.objects.';
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';
comment on column storage.buckets.owner_id is 'The `sub` claim of whoever created the bucket.';
comment on column storage.buckets.file_size_limit is 'Largest upload accepted, in bytes; null means the server-wide limit.';
comment on column storage.buckets.allowed_mime_types is 'Accepted content types (wildcards like image/* allowed); null accepts any.';
create unique index bname on storage.buckets (name);

create table storage.objects (
  id uuid not null default gen_random_uuid(),
  bucket_id text,
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  owner_id text,
  user_metadata jsonb,
  constraint objects_pkey primary key (id),
  constraint "objects_bucketId_fkey" foreign key (bucket_id) references storage.buckets (id)
);
comment on table storage.objects is 'One row per stored file; the bytes live in the storage backend. Policies here decide who may list, download, upload, move and delete.';
comment on column storage.objects.name is 'The object key inside its bucket, `folder/sub/file.ext`.';
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';
comment on column storage.objects.owner_id is 'The `sub` claim of the uploader (text, so non-uuid subjects fit).';
comment on column storage.objects.metadata is 'Set by the server: size, mimetype, eTag, cacheControl, lastModified, contentLength, httpStatusCode.';
comment on column storage.objects.user_metadata is 'Metadata the client sent with the upload.';
comment on column storage.objects.path_tokens is 'Generated: the key split on "/".';
comment on column storage.objects.version is 'Server-assigned version of the stored bytes; changes on every overwrite.';
create unique index bucketid_objname on storage.objects (bucket_id, name);
create index idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");
create index idx_objects_bucket_id_name_lower on storage.objects (bucket_id, lower(name) collate "C");
create index name_prefix_search on storage.objects (name text_pattern_ops);

-- S3-protocol multipart uploads in progress.
create table storage.s3_multipart_uploads (
  id text not null,
  in_progress_size bigint not null default 0,
  upload_signature text not null,
  bucket_id text not null,
  key text collate "C" not null,
  version text not null,
  owner_id text,
  created_at timestamptz not null default now(),
  user_metadata jsonb,
  metadata jsonb,
  constraint s3_multipart_uploads_pkey primary key (id),
  constraint s3_multipart_uploads_bucket_id_fkey foreign key (bucket_id) references storage.buckets (id)
);
comment on table storage.s3_multipart_uploads is 'S3 multipart uploads that have been started and not yet completed or aborted.';
create index idx_multipart_uploads_list on storage.s3_multipart_uploads (bucket_id, key, created_at);

create table storage.s3_multipart_uploads_parts (
  id uuid not null default gen_random_uuid(),
  upload_id text not null,
  size bigint not null default 0,
  part_number integer not null,
  bucket_id text not null,
  key text collate "C" not null,
  etag text not null,
  owner_id text,
  version text not null,
  created_at timestamptz not null default now(),
  constraint s3_multipart_uploads_parts_pkey primary key (id),
  constraint s3_multipart_uploads_parts_upload_id_fkey foreign key (upload_id) references storage.s3_multipart_uploads (id) on delete cascade,
  constraint s3_multipart_uploads_parts_bucket_id_fkey foreign key (bucket_id) references storage.buckets (id)
);
comment on table storage.s3_multipart_uploads_parts is 'Parts uploaded so far for an S3 multipart upload.';

-- Row level security: on for every table, no policies (Supabase leaves those to the project).
alter table storage.migrations enable row level security;
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
alter table storage.s3_multipart_uploads enable row level security;
alter table storage.s3_multipart_uploads_parts enable row level security;

-- Path helpers used in policies -----------------------------------------------------------------
-- `(storage.foldername(name))[1] = (select auth.uid()::text)` is the classic per-user folder rule.

create or replace function storage.foldername(name text)
returns text[]
language plpgsql
immutable
as $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return parts[1 : array_length(parts, 1) - 1];
end;
$$;
comment on function storage.foldername(text) is 'The folders of an object key: every "/"-separated segment but the last.';

create or replace function storage.filename(name text)
returns text
language plpgsql
immutable
as $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return parts[array_length(parts, 1)];
end;
$$;
comment on function storage.filename(text) is 'The last "/"-separated segment of an object key.';

create or replace function storage.extension(name text)
returns text
language plpgsql
immutable
as $$
declare
  file_name text := storage.filename(name);
begin
  -- What follows the last dot; a name without a dot comes back whole, as on Supabase.
  return reverse(split_part(reverse(file_name), '.', 1));
end;
$$;
comment on function storage.extension(text) is 'The extension of an object''s file name: what follows its last ".".';

-- The operation the Storage server is performing (GUC storage.operation, e.g. `object.upload`),
-- so a policy can allow an upload but not an overwrite.
create or replace function storage.operation()
returns text
language plpgsql
stable
as $$
begin
  return current_setting('storage.operation', true);
end;
$$;
comment on function storage.operation() is 'The Storage API operation of the current request (setting storage.operation), or null.';

create or replace function storage.allow_only_operation(expected_operation text)
returns boolean
language sql
stable
as $$
  -- Both sides may be written with or without the `storage.` prefix.
  select coalesce(nullif(expected_operation, '') is not null
    and regexp_replace(storage.operation(), '^storage\.', '') = regexp_replace(expected_operation, '^storage\.', ''), false)
$$;
comment on function storage.allow_only_operation(text) is 'True when the current Storage operation is the given one (`storage.` prefix optional).';

create or replace function storage.allow_any_operation(expected_operations text[])
returns boolean
language sql
stable
as $$
  select exists (
    select
    from unnest(expected_operations) as expected_operation
    where storage.allow_only_operation(expected_operation)
  )
$$;
comment on function storage.allow_any_operation(text[]) is 'True when the current Storage operation is one of the given ones.';

-- Listing ---------------------------------------------------------------------------------------

-- One level of a bucket below `prefix`, the way storage-js' list() shows it: sub-folders (name
-- only, other columns null) and files. `levels` is the 1-based path depth listed (segments in the
-- prefix + 1); prefix || search is matched case-insensitively. Sorting by name interleaves
-- folders and files by lower(name); other columns list folders first. Security invoker: RLS on
-- storage.objects applies.
create or replace function storage.search(
  prefix text,
  bucketname text,
  limits integer default 100,
  levels integer default 1,
  offsets integer default 0,
  search text default '',
  sortcolumn text default 'name',
  sortorder text default 'asc'
)
returns table (
  name text,
  id uuid,
  updated_at timestamptz,
  created_at timestamptz,
  last_accessed_at timestamptz,
  metadata jsonb
)
language plpgsql
stable
as $$
declare
  sort_column text := case lower(coalesce(sortcolumn, 'name'))
    when 'updated_at' then 'updated_at'
    when 'created_at' then 'created_at'
    when 'last_accessed_at' then 'last_accessed_at'
    else 'name'
  end;
  sort_direction text := case when lower(coalesce(sortorder, 'asc')) = 'desc' then 'desc' else 'asc' end;
  order_by text;
begin
  if sort_column = 'name' then
    order_by := format('lower(entry.name) collate "C" %s', sort_direction);
  else
    order_by := format('entry.is_folder desc, lower(entry.name) collate "C" %1$s, entry.%2$I %1$s', sort_direction, sort_column);
  end if;

  return query execute format($query$
    with in_prefix as (
      select
        o.path_tokens[$1] as entry_name,
        array_length(o.path_tokens, 1) > $1 as is_folder,
        o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata
      from storage.objects o
      where o.bucket_id = $2
        and starts_with(lower(o.name), $3)
        and array_length(o.path_tokens, 1) >= $1
    ),
    entry as (
      select distinct on (entry_name)
        entry_name as name, null::uuid as id, null::timestamptz as updated_at, null::timestamptz as created_at,
        null::timestamptz as last_accessed_at, null::jsonb as metadata, true as is_folder
      from in_prefix
      where is_folder
      union all
      select entry_name, id, updated_at, created_at, last_accessed_at, metadata, false
      from in_prefix
      where not is_folder
    )
    select entry.name, entry.id, entry.updated_at, entry.created_at, entry.last_accessed_at, entry.metadata
    from entry
    order by %s
    limit $4 offset $5
  $query$, order_by)
  using levels, bucketname, lower(coalesce(prefix, '') || coalesce(search, '')),
    least(coalesce(limits, 100), 1500), coalesce(offsets, 0);
end;
$$;
comment on function storage.search(text, text, integer, integer, integer, text, text, text) is
  'Lists one folder level of a bucket (sub-folders then files by default ordering), as storage-js list() expects.';

create or replace function storage.get_size_by_bucket()
returns table (size bigint, bucket_id text)
language sql
stable
as $$
  select sum((o.metadata ->> 'size')::bigint)::bigint, o.bucket_id
  from storage.objects o
  group by o.bucket_id
$$;
comment on function storage.get_size_by_bucket() is 'Bytes stored per bucket, from object metadata.';

-- Storage's server asks "would this insert pass the policies?" by inserting and rolling back.
create or replace function storage.can_insert_object(bucketid text, name text, owner uuid, metadata jsonb)
returns void
language plpgsql
as $$
begin
  insert into storage.objects (bucket_id, name, owner, metadata) values (bucketid, name, owner, metadata);
  -- Undo the successful insert; the caller treats PT200 as "allowed".
  raise sqlstate 'PT200' using message = 'ROLLBACK', detail = 'rollback successful insert';
end;
$$;
comment on function storage.can_insert_object(text, text, uuid, jsonb) is
  'Checks the INSERT policies for an upload: raises PT200 (allowed, rolled back) or the policy violation.';

-- Triggers --------------------------------------------------------------------------------------

create or replace function storage.update_updated_at_column()
returns trigger
language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function storage.update_updated_at_column() is 'Keeps updated_at current on every update.';

create trigger update_objects_updated_at
  before update on storage.objects
  for each row execute function storage.update_updated_at_column();

create or replace function storage.enforce_bucket_name_length()
returns trigger
language plpgsql
as $$
begin
  if length(new.name) > 100 then
    raise exception 'bucket name "%" is too long (% characters). Max is 100.', new.name, length(new.name);
  end if;
  return new;
end;
$$;
comment on function storage.enforce_bucket_name_length() is 'Rejects bucket names longer than 100 characters.';

create trigger enforce_bucket_name_length_trigger
  before insert or update of name on storage.buckets
  for each row execute function storage.enforce_bucket_name_length();

-- Deleting rows directly would orphan the stored bytes, so SQL DELETE is refused unless the
-- session opts in with `set storage.allow_delete_query = 'true'` (the Storage server does; so
-- must seeds and tests that clean up).
create or replace function storage.protect_delete()
returns trigger
language plpgsql
as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end;
$$;
comment on function storage.protect_delete() is
  'Refuses SQL DELETE on buckets/objects unless storage.allow_delete_query is ''true''.';

create trigger protect_buckets_delete
  before delete on storage.buckets
  for each statement execute function storage.protect_delete();
create trigger protect_objects_delete
  before delete on storage.objects
  for each statement execute function storage.protect_delete();

-- Grants ----------------------------------------------------------------------------------------

-- The API roles may try anything on buckets and objects; RLS decides (0046-buckets-objects-grants).
-- postgres holds the same WITH GRANT OPTION so it can expose storage to custom roles.
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant all on storage.buckets, storage.objects to postgres with grant option;

-- Multipart uploads: the server (service role) manages them, users may see theirs through RLS.
grant all on storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts to service_role;
grant select on storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts to anon, authenticated;

-- The path helpers were created by the image, whose default privileges exposed them explicitly.
grant all on function storage.foldername(text), storage.filename(text), storage.extension(text)
  to postgres, anon, authenticated, service_role, dashboard_user;

reset role;
