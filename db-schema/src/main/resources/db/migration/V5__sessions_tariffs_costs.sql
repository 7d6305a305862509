-- What energy cost, charging sessions and the daily level by local day. Costs are numeric (exact
-- decimals: the pipeline computes them with BigDecimal, never binary floating point), null where no
-- tariff applied. The tables are V3's partitioned ones: a column added to a table is added to each of
-- its partitions, and the partitions made later are made from the table.

-- Readings: the cost of each energy delta and the price that made it.
alter table measurement
    add column cost          numeric,
    add column currency      text,
    add column tariff_id     text,
    add column tariff_zone   text,
    add column price_per_kwh numeric;

-- Window aggregates: the sum of their readings' costs (null unless every reading with energy had a
-- price, all in one currency).
alter table measurement_1m
    add column cost     numeric,
    add column currency text;
alter table measurement_1h
    add column cost     numeric,
    add column currency text;

-- The daily level (V3's measurement_1d, shelly.readings.1d): one row per meter and local calendar day
-- of its site; window_start and window_end are that day's midnights in time_zone, 23 to 25 hours apart.
alter table measurement_1d
    add column cost      numeric,
    add column currency  text,
    add column day       date,
    add column time_zone text,
    add column site      text;
create index measurement_1d_site_day on measurement_1d (site, day);

-- Charging sessions: OPENED inserts the row, UPDATED and CLOSED upsert it on session_id.
create table charging_session (
    session_id      text             primary key,
    device_id       text             not null,
    device_name     text,
    site            text,
    state           text             not null,
    started_at      timestamptz      not null,
    ended_at        timestamptz,
    last_reading_at timestamptz      not null,
    duration_s      double precision not null,
    energy_wh       double precision not null,
    peak_power_w    double precision not null,
    avg_power_w     double precision not null,
    pauses          integer          not null,
    cost            numeric,
    currency        text,
    zones           jsonb            not null default '[]',
    readings        bigint           not null,
    counter_reset   boolean          not null default false,
    offline         boolean          not null default false
);
create index charging_session_device_started on charging_session (device_id, started_at desc);
create index charging_session_started on charging_session (started_at desc);
create index charging_session_open on charging_session (device_id) where state <> 'CLOSED';

-- Retention (V3's history_backfill, replaced here) fills the coarser levels from a partition before
-- it goes, as the stream processor makes them:
--  * a 1-minute or 1-hour window's cost is the sum of its readings' (or finer windows') costs, unknown
--    (null) when any of them with energy had none or when they are in more than one currency;
--  * a day is the sum of its hours (as in the stream processor), by the local day of the meter's time
--    zone: the zone of the stored day that holds the hour, else that of the meter's newest stored day,
--    else UTC (the stream processor's default zone); a day stored without a zone (written before days
--    carried one) is a UTC day. The hours are kept longer than the finer levels,
--    so a day overlapping the partition is computed from all of its hours. A day is added when missing
--    and no other stored day of the meter overlaps it (a meter whose zone changed keeps its days),
--    recomputed only when its hours counted more readings than it did. A day that does not start and
--    end on a whole hour (a zone offset by half an hour) is only ever added, never recomputed, as its
--    hours do not divide at its midnights.
create or replace function history_backfill(src text, part text) returns bigint
language plpgsql as $$
declare
    s history_level;
    d history_level;
    h history_level;
    lo timestamptz;
    hi timestamptz;
    added bigint;
    total bigint := 0;
    origin constant timestamptz := '2000-01-01T00:00:00Z';
    -- The cost of a group of rows with columns cost, currency and an energy column (%1$s): null unless
    -- every row with energy has a cost, all in one currency; the currency goes with a known cost only.
    cost_of constant text := 'case when bool_or(cost is null and %1$s > 0) or count(distinct currency) > 1 then null
                                   else sum(cost) end';
    currency_of constant text := 'case when bool_or(cost is null and %1$s > 0) or count(distinct currency) > 1
                                            or sum(cost) is null then null else min(currency) end';
    recompute constant text := '
        on conflict (device_id, window_start) do update set
            window_end = excluded.window_end, count = excluded.count, power_min = excluded.power_min,
            power_max = excluded.power_max, power_avg = excluded.power_avg, voltage_avg = excluded.voltage_avg,
            current_avg = excluded.current_avg, energy_wh = excluded.energy_wh,
            energy_returned_wh = excluded.energy_returned_wh, energy_from_power_wh = excluded.energy_from_power_wh,
            energy_mismatch = excluded.energy_mismatch, cost = excluded.cost, currency = excluded.currency';
begin
    select * into strict s from history_level where table_name = src;
    select * into strict h from history_level where level = '1h';
    for d in select * from history_level where position > s.position order by position loop
        if d.level = '1d' then
            select p.lo, p.hi into strict lo, hi from history_partitions(src) p where p.partition_name = part;
            -- Hours from two days either side: a local day is at most 25 hours and starts or ends at most
            -- 14 hours from a UTC midnight, so every day overlapping the partition gets all of its hours.
            execute format($q$
                with newest as (
                    select distinct on (device_id) device_id, coalesce(time_zone, 'UTC') time_zone, site
                    from %1$I order by device_id, window_start desc),
                hours as (
                    select a.*, coalesce(c.time_zone, n.time_zone, 'UTC') tz, coalesce(c.site, n.site) day_site
                    from %2$I a
                    left join lateral (
                        select coalesce(x.time_zone, 'UTC') time_zone, x.site from %1$I x
                        where x.device_id = a.device_id and x.window_start <= a.window_start
                          and x.window_end > a.window_start
                        order by x.window_start desc limit 1) c on true
                    left join newest n on n.device_id = a.device_id
                    where a.window_start >= $1 - interval '2 days' and a.window_start < $2 + interval '2 days'
                      and a.count > 0),
                days as (
                    select device_id, local_day, tz, min(day_site) site,
                           local_day::timestamp at time zone tz ws, (local_day + 1)::timestamp at time zone tz we,
                           sum(count) n, min(power_min) pmin, max(power_max) pmax,
                           sum(power_avg * count) / sum(count) pavg, sum(voltage_avg * count) / sum(count) vavg,
                           sum(current_avg * count) / sum(count) cavg, round(sum(energy_wh)::numeric, 6)::double precision e,
                           round(sum(energy_returned_wh)::numeric, 6)::double precision er,
                           round(sum(energy_from_power_wh)::numeric, 6)::double precision ep, bool_or(energy_mismatch) mm,
                           %3$s c, %4$s cur
                    from (select hours.*, (window_start at time zone tz)::date local_day from hours) hours
                    group by device_id, local_day, tz)
                insert into %1$I (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                  voltage_avg, current_avg, energy_wh, energy_returned_wh, energy_from_power_wh,
                                  energy_mismatch, cost, currency, day, time_zone, site)
                select device_id, ws, we, n, pmin, pmax, pavg, vavg, cavg, e, er, ep, mm, c, cur, local_day, tz, site
                from days
                where ws < $2 and we > $1
                  and not exists (select 1 from %1$I x where x.device_id = days.device_id
                                  and x.window_start < days.we and x.window_end > days.ws and x.window_start <> days.ws)$q$
                || recompute || $q$
                where %1$I.count < excluded.count and %1$I.window_end = excluded.window_end
                  and date_trunc('hour', excluded.window_start) = excluded.window_start
                  and date_trunc('hour', excluded.window_end) = excluded.window_end$q$,
                d.table_name, h.table_name, format(cost_of, 'energy_wh'), format(currency_of, 'energy_wh'))
                using lo, hi;
        elsif s.window_size is null then
            execute format($q$
                insert into %I (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                voltage_avg, current_avg, energy_wh, energy_returned_wh, energy_from_power_wh,
                                energy_mismatch, cost, currency)
                select device_id, w, w + $1, count(*), min(power), max(power), avg(power), avg(voltage), avg(current),
                       round(sum(energy_delta_wh)::numeric, 6)::double precision,
                       round(sum(energy_returned_delta_wh)::numeric, 6)::double precision,
                       round(sum(energy_from_power_wh)::numeric, 6)::double precision, false, %s, %s
                from (select r.*, date_bin($1, r.%I, $2) w from %I r where not r.%I) r
                group by device_id, w$q$ || recompute || ' where %1$I.count <> excluded.count',
                d.table_name, format(cost_of, 'energy_delta_wh'), format(currency_of, 'energy_delta_wh'),
                s.time_column, part, d.late_column)
                using d.window_size, origin;
        else
            execute format($q$
                insert into %I (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                voltage_avg, current_avg, energy_wh, energy_returned_wh, energy_from_power_wh,
                                energy_mismatch, cost, currency)
                select device_id, w, w + $1, sum(count), min(power_min), max(power_max),
                       sum(power_avg * count) / sum(count), sum(voltage_avg * count) / sum(count),
                       sum(current_avg * count) / sum(count), round(sum(energy_wh)::numeric, 6)::double precision,
                       round(sum(energy_returned_wh)::numeric, 6)::double precision,
                       round(sum(energy_from_power_wh)::numeric, 6)::double precision, bool_or(energy_mismatch), %s, %s
                from (select a.*, date_bin($1, a.window_start, $2) w from %I a where a.count > 0) a
                group by device_id, w$q$ || recompute || ' where %1$I.count <> excluded.count',
                d.table_name, format(cost_of, 'energy_wh'), format(currency_of, 'energy_wh'), part)
                using d.window_size, origin;
        end if;
        get diagnostics added = row_count;
        total := total + added;
    end loop;
    return total;
end
$$;
