-- The file pipeline's record and limits, in SQL so they hold on a hosted project exactly as
-- locally, whatever path a client takes to Storage:
--   * public.files: one row per upload the pipeline handles, pending -> ready | rejected (with the
--     reason); written by the pipeline (service role), read by the file's owner.
--   * file_ready: enqueued into the notification outbox when a file becomes ready (the event is
--     already in the catalogue, public.notification_types).
--   * a per-user storage quota, enforced by a trigger on storage.objects: every upload, upsert,
--     copy or move as a user counts, and the refusal reaches the client as Storage's 403.

-- Files -----------------------------------------------------------------------------------------

create type public.file_status as enum ('pending', 'ready', 'rejected');
comment on type public.file_status is 'Where a file is in the pipeline: pending until validated and processed, then ready or rejected.';

create table public.files (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references auth.users (id) on delete cascade,
  bucket_id text not null,
  path text not null,
  size bigint not null check (size >= 0),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  declared_mime_type text,
  detected_mime_type text,
  width integer check (width > 0),
  height integer check (height > 0),
  status public.file_status not null default 'pending',
  rejection_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (bucket_id, path),
  constraint files_rejection_has_reason check ((status = 'rejected') = (rejection_reason is not null))
);
comment on table public.files is 'Every upload handled by the file pipeline: what was declared, what the bytes are, and the verdict.';
comment on column public.files.path is 'The object''s key in its bucket (storage.objects.name).';
comment on column public.files.sha256 is 'Hex SHA-256 of the stored bytes, set once validated.';
comment on column public.files.declared_mime_type is 'The Content-Type the client sent (not trusted).';
comment on column public.files.detected_mime_type is 'The type the file''s bytes show (magic numbers).';
comment on column public.files.width is 'Image width in pixels, for images.';
comment on column public.files.height is 'Image height in pixels, for images.';
comment on column public.files.rejection_reason is 'Why a rejected file was refused (its object is deleted); null otherwise.';

create index files_owner_id_idx on public.files (owner_id);

alter table public.files enable row level security;
revoke all on public.files from public, anon, authenticated;
grant select on public.files to authenticated;
grant all on public.files to service_role;

create policy "owners read their files" on public.files for select to authenticated
  using (owner_id = (select auth.uid()));
comment on policy "owners read their files" on public.files is 'A user sees the records of their own uploads only.';

create or replace function private.guard_file_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A verdict is final: a rejected file cannot be made ready, nor a ready one pending again.
  if old.status <> 'pending' and new.status <> old.status then
    raise exception 'file % is already %', old.id, old.status using errcode = '23514';
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.guard_file_status() is 'Keeps a file''s status moving one way (pending -> ready | rejected) and stamps updated_at.';
revoke execute on function private.guard_file_status() from public, anon, authenticated;

create trigger files_guard_status
  before update on public.files
  for each row execute function private.guard_file_status();
comment on trigger files_guard_status on public.files is 'Status moves only from pending.';

-- The "file ready" event ------------------------------------------------------------------------

create or replace function private.enqueue_file_ready()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.enqueue_notification(
    'file_ready',
    array[new.owner_id],
    jsonb_build_object('file_name', storage.filename(new.path), 'file_id', new.id, 'bucket_id', new.bucket_id, 'path', new.path),
    null,
    'file_ready:' || new.id
  );
  return null;
end;
$$;
comment on function private.enqueue_file_ready() is 'Notifications: file_ready to the owner, once per file (idempotency key file_ready:<id>).';
revoke execute on function private.enqueue_file_ready() from public, anon, authenticated;

create trigger files_enqueue_file_ready
  after insert or update of status on public.files
  for each row when (new.status = 'ready')
  execute function private.enqueue_file_ready();
comment on trigger files_enqueue_file_ready on public.files is 'Notifications: file_ready when a file becomes ready.';

-- Storage quota ---------------------------------------------------------------------------------

create table public.storage_quotas (
  user_id uuid primary key references auth.users (id) on delete cascade,
  quota_bytes bigint not null check (quota_bytes >= 0)
);
comment on table public.storage_quotas is 'Per-user storage quotas that differ from the default (private.storage_quota_bytes).';
comment on column public.storage_quotas.quota_bytes is 'Total bytes the user''s objects may take, over all buckets.';

alter table public.storage_quotas enable row level security;
revoke all on public.storage_quotas from public, anon, authenticated;
grant select on public.storage_quotas to authenticated;
grant all on public.storage_quotas to service_role;

create policy "users read their quota" on public.storage_quotas for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users read their quota" on public.storage_quotas is 'A user sees their own quota; only the service role sets quotas.';

create or replace function private.storage_quota_bytes(user_id uuid)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  -- The default, 100 MiB, is the one place this number lives.
  select coalesce((select quota_bytes from public.storage_quotas where storage_quotas.user_id = storage_quota_bytes.user_id), 104857600);
$$;
comment on function private.storage_quota_bytes(uuid) is 'The user''s storage quota in bytes: their own row, else the default of 100 MiB.';
revoke execute on function private.storage_quota_bytes(uuid) from public, anon, authenticated;

create or replace function private.enforce_storage_quota()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  incoming bigint;
  used bigint;
  quota bigint;
begin
  -- Objects written without a user (service role, seeding) count against no one.
  if new.owner_id is null or new.owner_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return new;
  end if;
  -- Storage's permission probe carries the declared length before any byte is read; the final
  -- row carries the real size.
  incoming := coalesce((new.metadata ->> 'size')::bigint, (new.metadata ->> 'contentLength')::bigint, 0);
  -- Concurrent uploads by one user are counted one after the other.
  perform pg_advisory_xact_lock(hashtextextended('storage_quota:' || new.owner_id, 0));
  select coalesce(sum((o.metadata ->> 'size')::bigint), 0) into used
    from storage.objects as o
   where o.owner_id = new.owner_id
     and not (o.bucket_id = new.bucket_id and o.name = new.name)
     and o.id <> new.id;
  quota := private.storage_quota_bytes(new.owner_id::uuid);
  if used + incoming > quota then
    raise exception 'Storage quota exceeded: % of % bytes used, this file needs %', used, quota, incoming
      using errcode = '42501', hint = 'Delete files or ask for a larger quota.';
  end if;
  return new;
end;
$$;
comment on function private.enforce_storage_quota() is
  'Refuses a storage.objects row that would take its owner past their quota (42501: Storage answers 403).';
revoke execute on function private.enforce_storage_quota() from public, anon, authenticated;

create trigger objects_enforce_storage_quota
  before insert or update of metadata, owner_id, name, bucket_id on storage.objects
  for each row execute function private.enforce_storage_quota();
comment on trigger objects_enforce_storage_quota on storage.objects is 'Per-user storage quota (private.enforce_storage_quota).';
