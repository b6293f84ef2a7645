-- REST fixture: views for relationships inferred through views (a view over a view included, and
-- a view renaming its key column).
create view public.film_list as select id, title, director_id, year from public.films;
create view public.director_names as select id as director_key, name from public.directors;
create view public.recent_films as select id, title, director_id from public.film_list where year > 1960;
