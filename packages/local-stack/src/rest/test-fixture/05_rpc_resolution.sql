-- REST fixture: functions for RPC resolution: overloads told apart by argument names, an
-- ambiguous pair, single unnamed text/bytea parameters taking the raw body, a variadic and
-- defaults.
create function public.area(side int) returns int language sql immutable as $$ select side * side $$;
create function public.area(width int, height int) returns int language sql immutable as $$ select width * height $$;
create function public.twin(x int) returns text language sql immutable as $$ select 'integer' $$;
create function public.twin(x text) returns text language sql immutable as $$ select 'text' $$;
create function public.shout(text) returns text language sql immutable as $$ select upper($1) $$;
create function public.byte_count(bytea) returns int language sql immutable as $$ select length($1) $$;
create function public.total(variadic nums int[]) returns int language sql immutable as $$ select sum(n)::int from unnest(nums) n $$;
create function public.greet(name text default 'world', punctuation text default '!') returns text
  language sql immutable as $$ select 'hello ' || name || punctuation $$;
