-- A table large enough for the planner's row estimates (Prefer: count=planned|estimated) to differ
-- from exact counts: `a` and `b` always hold the same value, which the planner, taking columns as
-- independent, does not know, so a filter on both is estimated far below its real row count.
create table public.readings (
  id int primary key,
  a int not null,
  b int not null
);
comment on table public.readings is 'Rows whose planned counts differ from exact ones.';
comment on column public.readings.b is 'Always equal to a.';
insert into public.readings select g, g % 10, g % 10 from generate_series(1, 5000) g;

-- Statistics for the planner, here and on films (whose planned count the read tests take).
analyze public.readings, public.films;
