-- Sink tables for the pipeline's topics. The schema is owned here, never by the connector
-- (schema.evolution=none). Every table has the primary key the sink upserts on, so a replayed or
-- redelivered record rewrites its row instead of adding one. All times are timestamptz (UTC).

-- Readings: the prototype's columns (power, voltage, current, energy, timestamp) plus the pipeline's.
create table measurement (
    device_id        text             not null,
    "timestamp"      timestamptz      not null,
    power            double precision not null,
    voltage          double precision not null,
    current          double precision not null,
    energy           double precision not null,
    received_at      timestamptz      not null,
    source           text,
    freq             double precision,
    pf               double precision,
    temperature_c    double precision,
    output           boolean,
    energy_delta_wh  double precision not null default 0,
    counter_reset    boolean          not null default false,
    over_threshold   boolean          not null default false,
    device_name      text,
    site             text,
    primary key (device_id, "timestamp")
);
-- "Latest N" and time ranges over all devices; per device the primary key serves both
-- (an index on (device_id, timestamp) is scanned backwards for newest-first).
create index measurement_timestamp_desc on measurement ("timestamp" desc);

-- Alert transitions: RAISED inserts the row, CLEARED upserts the same (device, kind, start).
create table alert (
    device_id    text             not null,
    kind         text             not null,
    started_at   timestamptz      not null,
    state        text             not null,
    threshold_w  double precision,
    power_w      double precision,
    peak_w       double precision,
    ended_at     timestamptz,
    duration_s   double precision,
    primary key (device_id, kind, started_at)
);
create index alert_started_at_desc on alert (started_at desc);
create index alert_active on alert (device_id, kind) where state = 'RAISED';

-- Final window aggregates, one row per device and window.
create table measurement_1m (
    device_id     text             not null,
    window_start  timestamptz      not null,
    window_end    timestamptz      not null,
    count         bigint           not null,
    power_min     double precision not null,
    power_max     double precision not null,
    power_avg     double precision not null,
    voltage_avg   double precision not null,
    current_avg   double precision not null,
    energy_wh     double precision not null,
    primary key (device_id, window_start)
);
create index measurement_1m_window_start_desc on measurement_1m (window_start desc);

create table measurement_1h (like measurement_1m including all);
