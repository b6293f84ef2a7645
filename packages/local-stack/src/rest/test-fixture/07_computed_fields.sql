-- REST fixture: a computed field (a function of one films row returning a scalar).
create function public.title_year(public.films) returns text language sql stable as $$
  select $1.title || ' (' || coalesce($1.year::text, '?') || ')' $$;
