-- What runs the notification processor: pg_cron every 10 seconds (retries, deferred and digest
-- emails coming due) and, so that a new event does not wait for the next tick, a kick through
-- pg_net when events are enqueued (at most one kick per second, sent after the commit).
--
-- Both call the Edge Function over HTTP with the service role key, read from Vault, as
-- Supabase's guide to scheduling Edge Functions does. Until both secrets exist nothing is sent:
--
--   select vault.create_secret('https://<project-ref>.supabase.co/functions/v1/notification-processor', 'notification_processor_url');
--   select vault.create_secret('<service role key>', 'notification_processor_key');
--
-- (locally, config.toml's [db.vault] creates them from the environment variables
-- NOTIFICATIONS_PROCESSOR_URL / NOTIFICATIONS_PROCESSOR_KEY when they are set).

create extension if not exists pg_net with schema extensions;
create extension if not exists pg_cron with schema pg_catalog;

create or replace function private.run_notification_processor()
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  target text;
  service_key text;
begin
  select decrypted_secret into target from vault.decrypted_secrets where name = 'notification_processor_url';
  select decrypted_secret into service_key from vault.decrypted_secrets where name = 'notification_processor_key';
  if target is null or service_key is null then
    return null;
  end if;
  return net.http_post(
    url := target,
    body := '{}'::jsonb,
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || service_key),
    timeout_milliseconds := 60000
  );
end;
$$;
comment on function private.run_notification_processor() is
  'Asks the notification-processor Edge Function for a run (pg_net, after commit); a no-op until the Vault secrets notification_processor_url and notification_processor_key exist. Returns the pg_net request id.';
revoke execute on function private.run_notification_processor() from public, anon, authenticated;

create table private.notification_processor_kicks (
  id boolean primary key default true check (id),
  kicked_at timestamptz not null default '-infinity'
);
comment on table private.notification_processor_kicks is
  'When enqueueing last asked the processor for a run: one row, so a burst of events makes one request per second, not one each.';
insert into private.notification_processor_kicks default values;
alter table private.notification_processor_kicks enable row level security;
revoke all on private.notification_processor_kicks from public, anon, authenticated;

create or replace function private.kick_notification_processor()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- SKIP LOCKED: a writer never waits on another's kick; whoever holds the row is kicking already.
  perform 1 from private.notification_processor_kicks where kicked_at < now() - interval '1 second' for update skip locked;
  if found then
    update private.notification_processor_kicks set kicked_at = now();
    perform private.run_notification_processor();
  end if;
  return null;
end;
$$;
comment on function private.kick_notification_processor() is
  'Trigger: new events ask the processor for a run right after their commit (at most once a second).';
revoke execute on function private.kick_notification_processor() from public, anon, authenticated;

create trigger notification_events_kick_processor
  after insert on private.notification_events
  for each statement execute function private.kick_notification_processor();
comment on trigger notification_events_kick_processor on private.notification_events is
  'Webhook on enqueue: the processor runs without waiting for the next cron tick.';

select cron.schedule('notification-processor', '10 seconds', 'select private.run_notification_processor()');
