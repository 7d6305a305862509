-- A read-only role for BI tools and dashboards (Grafana): reads every table, present and future
-- (new partitions included), writes nothing. It is created without a login; the migration runner
-- gives it one with the password from POSTGRES_READONLY_PASSWORD (the local stack generates one).
-- Creating a role needs CREATEROLE; without it, an administrator creates the role once and the
-- migration only grants.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'wattstream_readonly') then
        if not exists (select 1 from pg_roles where rolname = current_user and (rolcreaterole or rolsuper)) then
            raise exception 'role % may not create roles: have an administrator run "CREATE ROLE wattstream_readonly NOLOGIN", then migrate again',
                current_user;
        end if;
        create role wattstream_readonly nologin;
        -- Even a privilege granted by mistake later cannot write.
        alter role wattstream_readonly set default_transaction_read_only = on;
    end if;
    execute format('grant connect on database %I to wattstream_readonly', current_database());
    execute format('grant usage on schema %I to wattstream_readonly', current_schema());
    execute format('grant select on all tables in schema %I to wattstream_readonly', current_schema());
    -- Tables this role creates from now on (the maintenance job's partitions) are readable too.
    execute format('alter default privileges in schema %I grant select on tables to wattstream_readonly', current_schema());
end
$$;
