-- Profiles: the public face of every account.
--
-- One row per auth user, created by a trigger when Auth inserts the user (sign-up, admin create,
-- anonymous sign-in), from the sign-up metadata (`options.data` -> raw_user_meta_data):
-- username, display_name, avatar_path, bio, timezone, locale. A missing, invalid or taken username
-- never fails the sign-up: a valid unique one is derived instead (from the requested name or the
-- email's local part, with a numeric suffix when needed).
--
-- Every signed-in user can read profiles; only the owner updates their own, and only the editable
-- columns. Rows disappear with the auth user (on delete cascade).

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text not null,
  display_name text not null,
  avatar_path text,
  bio text,
  timezone text not null default 'UTC',
  locale text not null default 'en',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_username_format check (username ~ '^[A-Za-z0-9_]{3,30}$'),
  constraint profiles_display_name_length check (char_length(display_name) between 1 and 80),
  constraint profiles_avatar_path_length check (char_length(avatar_path) between 1 and 1024),
  constraint profiles_bio_length check (char_length(bio) <= 500),
  constraint profiles_locale_format check (locale ~ '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$')
);
comment on table public.profiles is
  'Public profile of each user (one per auth.users row, created on sign-up). Signed-in users read all; owners update their own.';
comment on column public.profiles.id is 'The auth user id (auth.users.id).';
comment on column public.profiles.username is 'Unique handle, case-insensitively: 3-30 letters, digits or underscores.';
comment on column public.profiles.display_name is 'Name shown in the UI (1-80 characters); defaults to the username.';
comment on column public.profiles.avatar_path is 'Path of the avatar image in Storage (bucket-relative), or null.';
comment on column public.profiles.bio is 'Free text about the user, up to 500 characters.';
comment on column public.profiles.timezone is 'IANA time zone name, e.g. Europe/Paris (validated against the server''s zone list).';
comment on column public.profiles.locale is 'BCP 47 language tag, e.g. en, fr-CA, zh-Hant-TW.';

-- Case-insensitive uniqueness, and the index behind "find by username".
create unique index profiles_username_unique_idx on public.profiles (lower(username));

alter table public.profiles enable row level security;

revoke all on public.profiles from anon, authenticated;
grant select on public.profiles to authenticated;
grant update (username, display_name, avatar_path, bio, timezone, locale) on public.profiles to authenticated;

create policy "signed-in users read profiles" on public.profiles
  for select to authenticated
  using (true);
comment on policy "signed-in users read profiles" on public.profiles is
  'Every signed-in user may read every profile: all its columns are public.';

create policy "users update their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));
comment on policy "users update their own profile" on public.profiles is
  'Only the owner changes their profile (and only the columns granted for update).';

-- Validation and bookkeeping ------------------------------------------------------------------------

create or replace function private.is_valid_timezone(zone text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  -- Ask the server's own time zone database (fast, cached), after a shape check that keeps out
  -- POSIX offset strings.
  if zone is null or zone !~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$' then
    return false;
  end if;
  perform now() at time zone zone;
  return true;
exception when invalid_parameter_value then
  return false;
end;
$$;
comment on function private.is_valid_timezone(text) is 'True when zone is a time zone name the server knows.';

create or replace function private.prepare_profile()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not private.is_valid_timezone(new.timezone) then
    raise exception 'unknown time zone: %', new.timezone
      using errcode = '23514', hint = 'Use an IANA time zone name such as Europe/Paris.';
  end if;
  new.display_name := coalesce(nullif(trim(new.display_name), ''), new.username);
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;
comment on function private.prepare_profile() is
  'Trigger: validates the time zone, defaults the display name and stamps updated_at.';

create trigger profiles_prepare
  before insert or update on public.profiles
  for each row execute function private.prepare_profile();
comment on trigger profiles_prepare on public.profiles is 'Validation and updated_at.';

create or replace function private.log_profile_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed text[];
begin
  select coalesce(array_agg(key order by key), '{}')
    into changed
    from jsonb_each(to_jsonb(new)) as after_change
    join jsonb_each(to_jsonb(old)) as before_change using (key)
   where after_change.value is distinct from before_change.value
     and key <> 'updated_at';
  if cardinality(changed) > 0 then
    perform private.log_activity(new.id, 'profile.updated', 'profile', new.id::text,
      jsonb_build_object('fields', to_jsonb(changed)));
  end if;
  return null;
end;
$$;
comment on function private.log_profile_update() is
  'Trigger: logs profile.updated with the names of the changed fields.';

create trigger profiles_log_update
  after update on public.profiles
  for each row execute function private.log_profile_update();
comment on trigger profiles_log_update on public.profiles is 'Activity: profile.updated.';

-- Usernames -------------------------------------------------------------------------------------

create or replace function private.username_base(requested text, email text)
returns text
language sql
immutable
set search_path = ''
as $$
  -- Keep letters, digits and underscores of the requested name (else the email's local part),
  -- cut to leave room for a suffix, and pad names that are too short (rpad alone would truncate).
  select case when char_length(stem) < 3 then rpad(stem, 3, '_') else stem end
    from (select left(coalesce(
            nullif(regexp_replace(requested, '[^A-Za-z0-9_]+', '_', 'g'), ''),
            nullif(regexp_replace(lower(split_part(email, '@', 1)), '[^a-z0-9_]+', '_', 'g'), ''),
            'user'), 24) as stem) as derived;
$$;
comment on function private.username_base(text, text) is
  'A valid username stem derived from a requested name or an email address.';

create or replace function private.is_username_available(candidate text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select candidate ~ '^[A-Za-z0-9_]{3,30}$'
     and not exists (select from public.profiles where lower(username) = lower(candidate));
$$;
comment on function private.is_username_available(text) is
  'True when candidate is a valid username no profile uses (case-insensitively).';

-- Public RPC so sign-up forms can check a name before submitting.
create or replace function public.is_username_available(username text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_username_available(username);
$$;
comment on function public.is_username_available(text) is
  'Whether a username is valid and free (case-insensitive). Callable by anyone, so sign-up forms can check before submitting.';

-- Creating the profile when Auth creates the user ---------------------------------------------------

create or replace function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  requested text := nullif(trim(meta ->> 'username'), '');
  base text := private.username_base(requested, new.email);
  candidate text;
  created uuid;
  attempt int := 0;
begin
  candidate := case when private.is_username_available(requested) then requested else base end;
  loop
    insert into public.profiles (id, username, display_name, avatar_path, bio, timezone, locale)
    values (
      new.id,
      candidate,
      left(coalesce(nullif(trim(meta ->> 'display_name'), ''), nullif(trim(meta ->> 'full_name'), ''),
                    nullif(trim(meta ->> 'name'), ''), candidate), 80),
      nullif(trim(meta ->> 'avatar_path'), ''),
      left(nullif(trim(meta ->> 'bio'), ''), 500),
      case when private.is_valid_timezone(meta ->> 'timezone') then meta ->> 'timezone' else 'UTC' end,
      case when (meta ->> 'locale') ~ '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$'
           then meta ->> 'locale' else 'en' end
    )
    on conflict do nothing
    returning id into created;
    exit when created is not null;
    -- Either the profile exists already (nothing to do) or the username was taken concurrently.
    exit when exists (select from public.profiles where id = new.id);
    attempt := attempt + 1;
    if attempt > 20 then
      raise exception 'could not find a free username for %', base;
    end if;
    candidate := base || '_' || (floor(random() * power(10, least(2 + attempt, 5))))::int::text;
  end loop;
  return new;
end;
$$;
comment on function private.handle_new_user() is
  'Trigger on auth.users insert: creates the profile (and, in later migrations, per-user rows) from raw_user_meta_data, with a valid unique username.';

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

revoke execute on function private.is_valid_timezone(text), private.prepare_profile(), private.log_profile_update(),
  private.username_base(text, text), private.is_username_available(text), private.handle_new_user()
  from public, anon, authenticated;
grant execute on function private.is_valid_timezone(text) to authenticated, service_role;

revoke execute on function public.is_username_available(text) from public;
grant execute on function public.is_username_available(text) to anon, authenticated, service_role;
