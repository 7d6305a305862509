-- Billable energy figures, every distinct reading, the device's own flags. Columns only, so that a
-- later migration that rebuilds a table (e.g. partitions measurement) copies them like the others.

-- Readings: returned energy and its delta, the power-integrated energy, the impossible-jump and
-- late-for-window marks, the device's error flags.
alter table measurement
    add column energy_returned          double precision,
    add column energy_returned_delta_wh double precision not null default 0,
    add column energy_from_power_wh     double precision not null default 0,
    add column implausible_jump         boolean          not null default false,
    add column late_1m                  boolean          not null default false,
    add column late_1h                  boolean          not null default false,
    add column errors                   text;
-- The few readings that reached a closed window, found per window by the aggregates API.
create index measurement_late on measurement (device_id, "timestamp") where late_1m or late_1h;

-- Alerts: what an alert is about (the error name, the temperature limit, the counter values of a
-- reset). Two errors that start with the same reading are two alerts, so detail joins the key.
alter table alert add column detail text not null default '';
alter table alert drop constraint alert_pkey;
alter table alert add primary key (device_id, kind, started_at, detail);

-- Window aggregates: returned energy, the power-integrated energy and the reconciliation flag.
alter table measurement_1m
    add column energy_returned_wh   double precision not null default 0,
    add column energy_from_power_wh double precision not null default 0,
    add column energy_mismatch      boolean          not null default false;
alter table measurement_1h
    add column energy_returned_wh   double precision not null default 0,
    add column energy_from_power_wh double precision not null default 0,
    add column energy_mismatch      boolean          not null default false;
