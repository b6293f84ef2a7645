-- Activity entries keep only a clean client IP and user agent.
--
-- X-Forwarded-For and User-Agent are whatever the client sends. The log stored them nearly as
-- given: a "client IP" could be a whole network (10.0.0.0/8 is a valid inet), and the user agent
-- could carry control characters (terminal escapes, line breaks that forge lines in exported logs,
-- bidirectional overrides that disguise text when an admin reads it). Now:
--
--   * ip is a single host address (IPv4 or IPv6, no mask, no port, no zone) or null;
--   * user_agent loses control and bidi-formatting characters, is trimmed, cut to 512 characters,
--     and is null when nothing is left.
--
-- A request whose headers cannot be read (e.g. a NUL escape in request.headers) logs no IP and no
-- user agent rather than failing the change it records.

create or replace function private.request_header(header_name text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  -- PostgREST sets request.headers to a JSON object with lower-case header names.
  return nullif(current_setting('request.headers', true), '')::jsonb ->> lower(header_name);
exception when invalid_text_representation or untranslatable_character then
  return null;
end;
$$;
comment on function private.request_header(text) is
  'A header of the current API request (from request.headers set by PostgREST), or null outside a request or when the headers cannot be read.';

create or replace function private.request_ip()
returns inet
language plpgsql
stable
set search_path = ''
as $$
declare
  candidate text := coalesce(
    nullif(trim(split_part(left(private.request_header('x-forwarded-for'), 1024), ',', 1)), ''),
    trim(private.request_header('x-real-ip')),
    trim(private.request_header('cf-connecting-ip'))
  );
begin
  -- Hex digits, dots and colons only, at most the 45 characters of the longest IPv6 text form:
  -- no netmask, port, zone or anything else reaches the cast.
  if candidate is null or candidate !~ '^[0-9A-Fa-f.:]{2,45}$' then
    return null;
  end if;
  return candidate::inet;
exception when invalid_text_representation then
  return null;
end;
$$;
comment on function private.request_ip() is
  'The client IP of the current API request (first x-forwarded-for hop, else x-real-ip, else cf-connecting-ip) as a single host address, or null when absent or not an address.';

create or replace function private.request_user_agent()
returns text
language sql
stable
set search_path = ''
as $$
  select nullif(
    left(
      trim(regexp_replace(
        -- Bounded before the regex so a huge header costs no more than a short one.
        left(private.request_header('user-agent'), 2048),
        -- C0 and C1 controls, DEL, and the invisible characters that reorder or hide text.
        '[\u0001-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]',
        '',
        'g'
      )),
      512
    ),
    ''
  );
$$;
comment on function private.request_user_agent() is
  'The User-Agent of the current API request without control or bidi-formatting characters, trimmed, at most 512 characters; null when absent or empty.';

create or replace function private.log_activity(
  user_id uuid,
  action text,
  target_type text default null,
  target_id text default null,
  metadata jsonb default '{}'::jsonb
)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  insert into public.activity_log (user_id, actor_id, action, target_type, target_id, metadata, ip, user_agent)
  values (
    log_activity.user_id,
    auth.uid(),
    log_activity.action,
    log_activity.target_type,
    log_activity.target_id,
    coalesce(log_activity.metadata, '{}'::jsonb),
    private.request_ip(),
    private.request_user_agent()
  );
end;
$$;
comment on function private.log_activity(uuid, text, text, text, jsonb) is
  'Appends an activity entry for an account; the actor is the signed-in user (auth.uid()), IP and user agent come from the request headers, cleaned.';

revoke execute on function private.request_user_agent() from public, anon, authenticated;
grant execute on function private.request_user_agent() to service_role;

-- The stored values keep the same shape whoever writes them (the service role may insert too).
alter table public.activity_log
  add constraint activity_log_ip_is_host check (ip is null or masklen(ip) = case family(ip) when 4 then 32 else 128 end) not valid,
  add constraint activity_log_user_agent_clean check (
    user_agent is null
    or (char_length(user_agent) between 1 and 512
        and user_agent !~ '[\u0001-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]')
  ) not valid;
comment on constraint activity_log_ip_is_host on public.activity_log is 'ip is one host address, never a network.';
comment on constraint activity_log_user_agent_clean on public.activity_log is
  'user_agent is 1-512 characters without control or bidi-formatting characters.';
