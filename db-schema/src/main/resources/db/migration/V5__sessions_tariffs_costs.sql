-- What energy cost, charging sessions and the daily level. Costs are numeric (exact decimals: the
-- pipeline computes them with BigDecimal, never binary floating point), null where no tariff applied.
-- Written to hold whether or not an earlier migration already created the daily level (and partitioned
-- the tables): "if not exists" throughout.

-- Readings: the cost of each energy delta and the price that made it.
alter table measurement
    add column if not exists cost          numeric,
    add column if not exists currency      text,
    add column if not exists tariff_id     text,
    add column if not exists tariff_zone   text,
    add column if not exists price_per_kwh numeric;

-- Window aggregates: the sum of their readings' costs (null unless every reading with energy had a price).
alter table measurement_1m
    add column if not exists cost     numeric,
    add column if not exists currency text;
alter table measurement_1h
    add column if not exists cost     numeric,
    add column if not exists currency text;

-- Daily aggregates per meter: one row per local calendar day of its site (window_start and window_end
-- are its local midnights, 23 to 25 hours apart), with energy and cost.
create table if not exists measurement_1d (like measurement_1h including all);
alter table measurement_1d
    add column if not exists cost      numeric,
    add column if not exists currency  text,
    add column if not exists day       date,
    add column if not exists time_zone text,
    add column if not exists site      text;
create index if not exists measurement_1d_site_day on measurement_1d (site, day);

-- Charging sessions: OPENED inserts the row, UPDATED and CLOSED upsert it on session_id.
create table if not exists charging_session (
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
create index if not exists charging_session_device_started on charging_session (device_id, started_at desc);
create index if not exists charging_session_started on charging_session (started_at desc);
create index if not exists charging_session_open on charging_session (device_id) where state <> 'CLOSED';
