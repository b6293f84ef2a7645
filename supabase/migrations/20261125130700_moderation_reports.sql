-- Moderation: reports about messages or users, handled by moderators.
--
-- Any signed-in user reports a message they can read, or a user. Reporters see their own reports;
-- moderators and admins (app_metadata.role) see all reports, update their status, read the
-- reported messages (even outside their rooms) and soft-delete them with delete_message().

create type public.report_status as enum ('open', 'reviewing', 'resolved', 'dismissed');
comment on type public.report_status is 'Life cycle of a moderation report.';

create type public.report_reason as enum ('spam', 'harassment', 'hate', 'violence', 'sexual_content', 'impersonation', 'other');
comment on type public.report_reason is 'Why something was reported.';

create table public.reports (
  id bigint generated always as identity primary key,
  reporter_id uuid default auth.uid() references public.profiles (id) on delete set null,
  message_id bigint references public.messages (id) on delete set null,
  reported_user_id uuid references public.profiles (id) on delete set null,
  reason public.report_reason not null,
  details text,
  status public.report_status not null default 'open',
  resolution_note text,
  resolved_by uuid references public.profiles (id) on delete set null,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  constraint reports_details_length check (char_length(details) <= 2000),
  constraint reports_resolution_note_length check (char_length(resolution_note) <= 2000)
);
comment on table public.reports is
  'Moderation reports about a message and/or a user. Reporters read their own; moderators read and handle all.';
comment on column public.reports.reporter_id is 'Who reported (defaults to the caller).';
comment on column public.reports.message_id is 'The reported message, if any (the reporter must be able to read it).';
comment on column public.reports.reported_user_id is 'The reported user; filled from the message''s sender when only a message is given.';
comment on column public.reports.resolution_note is 'What the moderator decided (visible to moderators only through RLS on the row; the reporter sees it too).';
comment on column public.reports.resolved_by is 'Moderator who last changed the status.';

create index reports_reporter_id_idx on public.reports (reporter_id);
create index reports_message_id_idx on public.reports (message_id);
create index reports_reported_user_id_idx on public.reports (reported_user_id);
create index reports_resolved_by_idx on public.reports (resolved_by);
create index reports_open_idx on public.reports (created_at) where status in ('open', 'reviewing');

alter table public.reports enable row level security;

revoke all on public.reports from anon, authenticated;
grant select on public.reports to authenticated;
grant insert (message_id, reported_user_id, reason, details) on public.reports to authenticated;
grant update (status, resolution_note) on public.reports to authenticated;

create or replace function private.can_read_message(message_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select from public.messages as m
     where m.id = can_read_message.message_id and private.is_room_member(m.room_id)
  );
$$;
comment on function private.can_read_message(bigint) is 'True when the caller is a member of the message''s room.';

create or replace function private.is_reported_message(message_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select from public.reports as r where r.message_id = is_reported_message.message_id);
$$;
comment on function private.is_reported_message(bigint) is 'True when at least one report names the message.';

revoke execute on function private.can_read_message(bigint), private.is_reported_message(bigint) from public, anon;
grant execute on function private.can_read_message(bigint), private.is_reported_message(bigint) to authenticated, service_role;

create policy "users file reports" on public.reports
  for insert to authenticated
  with check (
    reporter_id = (select auth.uid())
    and (message_id is not null or reported_user_id is not null)
    and (message_id is null or private.can_read_message(message_id))
  );
comment on policy "users file reports" on public.reports is
  'Signed-in users report, in their own name, a user or a message they can read.';

create policy "reporters read their reports" on public.reports
  for select to authenticated
  using (reporter_id = (select auth.uid()));
comment on policy "reporters read their reports" on public.reports is
  'Reporters follow the status of their own reports.';

create policy "moderators read reports" on public.reports
  for select to authenticated
  using ((select private.is_moderator()));
comment on policy "moderators read reports" on public.reports is
  'Moderators and admins see every report.';

create policy "moderators handle reports" on public.reports
  for update to authenticated
  using ((select private.is_moderator()))
  with check ((select private.is_moderator()));
comment on policy "moderators handle reports" on public.reports is
  'Moderators and admins change a report''s status and resolution note.';

create policy "moderators read reported messages" on public.messages
  for select to authenticated
  using ((select private.is_moderator()) and private.is_reported_message(id));
comment on policy "moderators read reported messages" on public.messages is
  'Moderators read messages that were reported, even in rooms they are not in.';

create or replace function private.prepare_report()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.reported_user_id is null and new.message_id is not null then
      select sender_id into new.reported_user_id from public.messages where id = new.message_id;
    end if;
  elsif new.status is distinct from old.status or new.resolution_note is distinct from old.resolution_note then
    new.resolved_by := auth.uid();
    new.resolved_at := case when new.status in ('resolved', 'dismissed') then now() end;
  end if;
  return new;
end;
$$;
comment on function private.prepare_report() is
  'Trigger: fills reported_user_id from the message; records who handled the report and when it was closed.';

create trigger reports_prepare
  before insert or update on public.reports
  for each row execute function private.prepare_report();
comment on trigger reports_prepare on public.reports is 'Reported user and resolution bookkeeping.';

revoke execute on function private.prepare_report() from public, anon, authenticated;
