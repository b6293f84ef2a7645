-- REST fixture: functions for /rpc (scalar, set-returning, table-returning, void, raising,
-- request-context readers) and a pre-request hook.
create function public.add_them(a int, b int default 10) returns int language sql immutable as $$ select a + b $$;
comment on function public.add_them is 'Adds two integers (b defaults to 10).';
create function public.films_by(director int) returns setof public.films language sql stable as $$
  select * from public.films where director_id = director order by id $$;
create function public.film_count() returns bigint language sql stable as $$ select count(*) from public.films $$;
create function public.years() returns setof int language sql stable as $$ select year from public.films where year is not null order by year $$;
create function public.film_stats() returns table (director text, films bigint) language sql stable as $$
  select d.name, count(f.id) from public.directors d left join public.films f on f.director_id = d.id group by d.name order by d.name $$;
create function public.first_film() returns public.films language sql stable as $$ select * from public.films order by id limit 1 $$;
create function public.noop() returns void language sql volatile as $$ select $$;
create function public.fail_loudly(message text) returns void language plpgsql as $$
begin raise exception '%', message using detail = 'raised on purpose', hint = 'do not call this'; end $$;
create function public.custom_error() returns void language plpgsql as $$
begin raise sqlstate 'PGRST' using message = '{"code":"123","message":"Payment required","details":"Quota exceeded","hint":"Upgrade"}',
  detail = '{"status":402,"headers":{"X-Powered-By":"basekit"}}'; end $$;
create function public.whoami() returns json language sql stable as $$
  select json_build_object('role', current_user, 'sub', auth.uid(), 'method', current_setting('request.method', true),
    'path', current_setting('request.path', true), 'client', current_setting('request.headers', true)::json->>'x-client-tag',
    'search_path', current_setting('search_path'), 'timeout', current_setting('statement_timeout')) $$;
create function public.echo(payload json) returns json language sql immutable as $$ select payload $$;
create function public.raw_echo(json) returns json language sql immutable as $$ select $1 $$;
create function public.add_item(item_name text) returns public.items language sql volatile as $$
  insert into public.items (name) values (item_name) returning * $$;
create function public.set_teapot() returns int language plpgsql stable as $$
begin
  perform set_config('response.status', '418', true);
  perform set_config('response.headers', '[{"x-brew": "tea"}]', true);
  return 1;
end $$;
create function public.sleepy(seconds float) returns int language sql volatile as $$ select 1 from pg_sleep(seconds) $$;

-- Pre-request hook (Supabase's in-database PostgREST config): refuses requests carrying x-block.
create function public.check_request() returns void language plpgsql stable as $$
begin
  if current_setting('request.headers', true)::json->>'x-block' is not null then
    raise sqlstate 'PT403' using message = 'blocked by pre-request';
  end if;
end $$;
-- Enabled by the tests as superuser: alter role authenticator set pgrst.db_pre_request = 'public.check_request'.
