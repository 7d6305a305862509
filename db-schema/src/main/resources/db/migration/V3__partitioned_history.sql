-- History that holds years at a steady cost: each level of the history (raw readings, 1-minute,
-- 1-hour and daily aggregates) becomes a table partitioned by time (PostgreSQL declarative
-- partitioning), so retention drops whole partitions instead of deleting rows, and a query over a
-- time range reads only the partitions of that range.
--
-- Written against whatever columns the tables have when it runs (an earlier migration may have
-- added some): each table is rebuilt from its own definition, with every row, constraint and index.
-- Partition bounds are UTC midnights: raw readings by day, aggregates by month (daily ones by year).
-- A DEFAULT partition catches a reading whose partition does not exist (a far past or future device
-- time); history_prepare() moves such rows into a partition of their own and creates the partitions
-- of the coming days ahead of time. history_maintain() runs both and applies the retention.

-- The daily level, like the others (the stream processor's 1-day windows, shelly.readings.1d).
create table measurement_1d (like measurement_1h including all);

-- One row per level: its table, how it is partitioned and how long it is kept (null = forever).
-- The maintenance job writes the configured retention here; the query API reads it from here.
create table history_level (
    level           text     primary key,
    position        smallint not null unique,   -- finest first: a level is backfilled from finer ones
    table_name      text     not null unique,
    time_column     text     not null,
    window_size     interval,                    -- null for raw readings
    late_column     text,                        -- the reading's flag for "came after this window had closed"
    partition_span  interval not null check (partition_span in ('1 day', '1 month', '1 year')),
    keep            interval check (keep > interval '0')
);
insert into history_level values
    ('raw', 0, 'measurement',    'timestamp',    null,       null,      '1 day',   '90 days'),
    ('1m',  1, 'measurement_1m', 'window_start', '1 minute', 'late_1m', '1 month', '400 days'),
    ('1h',  2, 'measurement_1h', 'window_start', '1 hour',   'late_1h', '1 month', null),
    -- A day takes the readings of its hours.
    ('1d',  3, 'measurement_1d', 'window_start', '1 day',    'late_1h', '1 year',  null);

-- The start of the partition holding ts (a UTC day, month or year).
create function history_bucket(ts timestamptz, span interval) returns timestamptz
language sql stable as $$
    select date_trunc(case span when '1 day' then 'day' when '1 month' then 'month' else 'year' end, ts, 'UTC')
$$;

-- The end of the partition starting at lo (calendar arithmetic in UTC: months have their own length).
create function history_bucket_end(lo timestamptz, span interval) returns timestamptz
language sql stable as $$
    select (lo at time zone 'UTC' + span) at time zone 'UTC'
$$;

-- A time as an unambiguous literal, whatever the session's DateStyle and TimeZone.
create function history_literal(ts timestamptz) returns text
language sql stable as $$
    select to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- measurement_p20261120, measurement_1m_p202611, measurement_1d_p2026.
create function history_partition_name(tbl text, lo timestamptz, span interval) returns text
language sql stable as $$
    select tbl || '_p' || to_char(lo at time zone 'UTC',
        case span when '1 day' then 'YYYYMMDD' when '1 month' then 'YYYYMM' else 'YYYY' end)
$$;

-- The partitions of a level table with their bounds (the DEFAULT partition excluded).
create function history_partitions(tbl text)
returns table (partition_name text, lo timestamptz, hi timestamptz)
language sql stable as $$
    select c.relname::text, b[1]::timestamptz, b[2]::timestamptz
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    cross join lateral regexp_match(pg_get_expr(c.relpartbound, c.oid), $re$FROM \('([^']*)'\) TO \('([^']*)'\)$re$) b
    where i.inhparent = tbl::regclass
    order by 2
$$;

-- The start of each partition that rows of rel (a table with an index on col) fall into, oldest
-- first; one index probe per partition found, however many rows there are.
create function history_buckets(rel text, col text, span interval) returns setof timestamptz
language plpgsql stable as $$
declare
    next_ts timestamptz;
    b timestamptz;
begin
    execute format('select min(%I) from %I', col, rel) into next_ts;
    while next_ts is not null loop
        b := history_bucket(next_ts, span);
        return next b;
        execute format('select min(%I) from %I where %I >= $1', col, rel, col)
            into next_ts using history_bucket_end(b, span);
    end loop;
end
$$;

-- Creates the partition of level table tbl that holds ts, unless it exists; true when created.
-- Rows of that range already in the DEFAULT partition move into it. The new table is attached rather
-- than created as a partition: attaching locks the parent only against schema changes, so the sink
-- keeps writing meanwhile (the DEFAULT partition is locked for the move; it holds strays only).
create function history_ensure_partition(tbl text, ts timestamptz) returns boolean
language plpgsql as $$
declare
    lvl history_level;
    lo timestamptz;
    hi timestamptz;
    part text;
    dflt text := tbl || '_default';
begin
    select * into strict lvl from history_level where table_name = tbl;
    lo := history_bucket(ts, lvl.partition_span);
    hi := history_bucket_end(lo, lvl.partition_span);
    part := history_partition_name(tbl, lo, lvl.partition_span);
    if exists (select 1 from pg_inherits where inhparent = tbl::regclass and inhrelid = to_regclass(part)) then
        return false;
    end if;
    execute format('lock table %I in access exclusive mode', dflt);
    execute format('create table %I (like %I including defaults including constraints)', part, tbl);
    execute format('with moved as (delete from %I where %I >= $1 and %I < $2 returning *) insert into %I select * from moved',
                   dflt, lvl.time_column, lvl.time_column, part) using lo, hi;
    execute format('alter table %I attach partition %I for values from (%L) to (%L)',
                   tbl, part, history_literal(lo), history_literal(hi));
    return true;
end
$$;

-- Partitions for every level: one for each range that has rows in the DEFAULT partition (which
-- moves them there), and the current ones up to `ahead` from now. Returns how many were created. A
-- partition that cannot be created within the lock timeout is left for the next run (the DEFAULT
-- partition takes its rows meanwhile).
create function history_prepare(now timestamptz default now(), ahead interval default '7 days')
returns integer
language plpgsql as $$
declare
    lvl history_level;
    b timestamptz;
    created integer := 0;
begin
    for lvl in select * from history_level order by position loop
        for b in
            select history_buckets(lvl.table_name || '_default', lvl.time_column, lvl.partition_span)
            union
            select g at time zone 'UTC' from generate_series(history_bucket(now, lvl.partition_span) at time zone 'UTC',
                                                             (now + ahead) at time zone 'UTC', lvl.partition_span) g
            order by 1
        loop
            begin
                if history_ensure_partition(lvl.table_name, b) then
                    created := created + 1;
                end if;
            exception when lock_not_available then
                raise warning 'partition of % for % not created within the lock timeout; the next run retries',
                    lvl.table_name, history_literal(b);
            end;
        end loop;
    end loop;
    return created;
end
$$;

-- Before a partition of level src is dropped, every coarser level gets the windows its rows make, as
-- the stream processor makes them (a reading marked late for a window is not in it), so the aggregates
-- are complete for every period whose rows are gone: a window that is missing (history from before the
-- pipeline, a window lost on its way) is added, one that counted fewer readings is recomputed, one that
-- counted them all stays as the stream processor wrote it. The energy reconciliation needs the stream
-- processor's rules: a window made from readings is not flagged, one made from finer windows is when
-- any of them was.
create function history_backfill(src text, part text) returns bigint
language plpgsql as $$
declare
    s history_level;
    d history_level;
    added bigint;
    total bigint := 0;
    origin constant timestamptz := '2000-01-01T00:00:00Z';
    recompute constant text := '
        on conflict (device_id, window_start) do update set
            window_end = excluded.window_end, count = excluded.count, power_min = excluded.power_min,
            power_max = excluded.power_max, power_avg = excluded.power_avg, voltage_avg = excluded.voltage_avg,
            current_avg = excluded.current_avg, energy_wh = excluded.energy_wh,
            energy_returned_wh = excluded.energy_returned_wh, energy_from_power_wh = excluded.energy_from_power_wh,
            energy_mismatch = excluded.energy_mismatch
        where %1$I.count <> excluded.count';
begin
    select * into strict s from history_level where table_name = src;
    for d in select * from history_level where position > s.position order by position loop
        if s.window_size is null then
            execute format($q$
                insert into %I (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                voltage_avg, current_avg, energy_wh, energy_returned_wh, energy_from_power_wh,
                                energy_mismatch)
                select device_id, w, w + $1, count(*), min(power), max(power), avg(power), avg(voltage), avg(current),
                       round(sum(energy_delta_wh)::numeric, 6)::double precision,
                       round(sum(energy_returned_delta_wh)::numeric, 6)::double precision,
                       round(sum(energy_from_power_wh)::numeric, 6)::double precision, false
                from (select r.*, date_bin($1, r.%I, $2) w from %I r where not r.%I) r
                group by device_id, w$q$ || recompute, d.table_name, s.time_column, part, d.late_column)
                using d.window_size, origin;
        else
            execute format($q$
                insert into %I (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                voltage_avg, current_avg, energy_wh, energy_returned_wh, energy_from_power_wh,
                                energy_mismatch)
                select device_id, w, w + $1, sum(count), min(power_min), max(power_max),
                       sum(power_avg * count) / sum(count), sum(voltage_avg * count) / sum(count),
                       sum(current_avg * count) / sum(count), round(sum(energy_wh)::numeric, 6)::double precision,
                       round(sum(energy_returned_wh)::numeric, 6)::double precision,
                       round(sum(energy_from_power_wh)::numeric, 6)::double precision, bool_or(energy_mismatch)
                from (select a.*, date_bin($1, a.window_start, $2) w from %I a where a.count > 0) a
                group by device_id, w$q$ || recompute, d.table_name, part)
                using d.window_size, origin;
        end if;
        get diagnostics added = row_count;
        total := total + added;
    end loop;
    return total;
end
$$;

-- The partitions past their level's retention at `now`: those whose whole range is older than keep.
create function history_expired(now timestamptz default now())
returns table (table_name text, partition_name text, lo timestamptz, hi timestamptz)
language sql stable as $$
    select l.table_name, p.partition_name, p.lo, p.hi
    from history_level l
    cross join lateral history_partitions(l.table_name) p
    where l.keep is not null and p.hi <= now - l.keep
    order by l.position, p.lo
$$;

-- The maintenance job, one transaction per step so no lock is held longer than its step: creates the
-- partitions (history_prepare), then for each partition past retention fills the coarser levels
-- from it and drops it. What it did is reported as NOTICEs. Run it often (hourly); any run may fail
-- or be skipped without harm, the next one catches up.
create procedure history_maintain(now timestamptz default now(), ahead interval default '7 days',
                                  lock_wait interval default '5 s')
language plpgsql as $$
declare
    created integer;
    p record;
    added bigint;
begin
    perform set_config('lock_timeout', (extract(epoch from lock_wait) * 1000)::bigint::text, true);
    created := history_prepare(now, ahead);
    raise notice 'partitions created: %', created;
    commit;
    for p in select * from history_expired(now) loop
        added := history_backfill(p.table_name, p.partition_name);
        commit;
        begin
            perform set_config('lock_timeout', (extract(epoch from lock_wait) * 1000)::bigint::text, true);
            execute format('drop table %I', p.partition_name);
            raise notice 'dropped % (% .. %) past retention; % coarser windows added or completed from it first',
                p.partition_name, history_literal(p.lo), history_literal(p.hi), added;
        exception when lock_not_available then
            raise warning '% not dropped within the lock timeout; the next run retries', p.partition_name;
        end;
        commit;
    end loop;
end
$$;

-- Turns a plain table into one partitioned by range of col, keeping every row, constraint and index
-- under its name; partitions are made for every range that has rows, plus the DEFAULT partition.
create function history_partition_table(tbl text) returns void
language plpgsql as $$
declare
    lvl history_level;
    old text := tbl || '_unpartitioned';
    r record;
    b timestamptz;
begin
    select * into strict lvl from history_level where table_name = tbl;
    execute format('alter table %I rename to %I', tbl, old);
    -- Free the names of the indexes (a constraint's index renames its constraint too).
    for r in select c.relname::text as name from pg_index i join pg_class c on c.oid = i.indexrelid
             where i.indrelid = old::regclass loop
        execute format('alter index %I rename to %I', r.name, r.name || '_unpartitioned');
    end loop;
    execute format('create table %I (like %I including all excluding indexes) partition by range (%I)',
                   tbl, old, lvl.time_column);
    for r in select conname::text as name, pg_get_constraintdef(oid) as def from pg_constraint
             where conrelid = old::regclass and contype in ('p', 'u', 'x') loop
        execute format('alter table %I add constraint %I %s', tbl, replace(r.name, '_unpartitioned', ''), r.def);
    end loop;
    for r in select c.relname::text as name, i.indisunique as uniq, pg_get_indexdef(i.indexrelid) as def
             from pg_index i join pg_class c on c.oid = i.indexrelid
             where i.indrelid = old::regclass
               and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid) loop
        execute format('create %sindex %I on %I %s', case when r.uniq then 'unique ' else '' end,
                       replace(r.name, '_unpartitioned', ''), tbl, substring(r.def from ' USING .*$'));
    end loop;
    execute format('create table %I partition of %I default', tbl || '_default', tbl);
    for b in select history_buckets(old, lvl.time_column, lvl.partition_span) loop
        perform history_ensure_partition(tbl, b);
    end loop;
    execute format('insert into %I select * from %I', tbl, old);
    execute format('drop table %I', old);
end
$$;

select history_partition_table(table_name) from history_level order by position;
select history_prepare();
