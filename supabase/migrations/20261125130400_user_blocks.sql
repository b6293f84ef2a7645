-- User blocks.
--
-- A user blocks another to stop contact: a blocked user cannot open a direct room with the blocker,
-- cannot add them to a group, and nobody can post in a direct room between two users when either
-- has blocked the other (see the chat migrations). Blocks are private: the blocked user cannot see
-- that a block exists; the checks answer through security definer helpers.

create table public.user_blocks (
  blocker_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  blocked_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id),
  constraint user_blocks_not_self check (blocker_id <> blocked_id)
);
comment on table public.user_blocks is
  'Who blocked whom. Only the blocker sees and manages their blocks; the blocked user is not told.';
comment on column public.user_blocks.blocker_id is 'The user who blocks (defaults to the caller).';
comment on column public.user_blocks.blocked_id is 'The user being blocked.';

create index user_blocks_blocked_id_idx on public.user_blocks (blocked_id);

alter table public.user_blocks enable row level security;

revoke all on public.user_blocks from anon, authenticated;
grant select, delete on public.user_blocks to authenticated;
grant insert (blocker_id, blocked_id) on public.user_blocks to authenticated;

create policy "users read their own blocks" on public.user_blocks
  for select to authenticated
  using (blocker_id = (select auth.uid()));
comment on policy "users read their own blocks" on public.user_blocks is
  'A user sees the blocks they made, never the blocks against them.';

create policy "users block others" on public.user_blocks
  for insert to authenticated
  with check (blocker_id = (select auth.uid()));
comment on policy "users block others" on public.user_blocks is
  'A user creates blocks only in their own name.';

create policy "users unblock" on public.user_blocks
  for delete to authenticated
  using (blocker_id = (select auth.uid()));
comment on policy "users unblock" on public.user_blocks is
  'A user removes only their own blocks.';

create or replace function private.is_blocked_between(user_a uuid, user_b uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select from public.user_blocks
     where (blocker_id = user_a and blocked_id = user_b)
        or (blocker_id = user_b and blocked_id = user_a)
  );
$$;
comment on function private.is_blocked_between(uuid, uuid) is
  'True when either user has blocked the other.';

revoke execute on function private.is_blocked_between(uuid, uuid) from public, anon;
grant execute on function private.is_blocked_between(uuid, uuid) to authenticated, service_role;
