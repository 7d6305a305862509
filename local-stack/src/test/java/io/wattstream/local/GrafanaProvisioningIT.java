package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wattstream.schema.Migrations;
import io.wattstream.schema.ReadOnlyRole;
import io.wattstream.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana provisioning of {@code deploy/grafana} and the Prometheus configuration, checked without
 * Grafana: data sources point at the compose services through the read-only role, and every SQL query
 * of every dashboard runs, as that role, on a freshly migrated schema, over a day, a month and a year
 * (the power and the sessions panels each find the one window, day or session seeded in every range).
 */
class GrafanaProvisioningIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String PG_UID = "wattstream-postgres";
    private static final String PROMETHEUS_UID = "wattstream-prometheus";
    private static final Instant TO = Instant.parse("2026-11-20T12:00:00Z");
    private static final Pattern MACRO = Pattern.compile("\\$\\{?[A-Za-z_][A-Za-z0-9_]*");

    private static EmbeddedPostgres pg;

    @BeforeAll
    static void start() throws SQLException {
        pg = EmbeddedPostgres.startEphemeral();
        Migrations.apply(pg.dataSource());
        ReadOnlyRole.enableLogin(pg.dataSource(), "grafana-test");
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            // One window of each level for the meter the dashboards show, inside each range checked.
            for (String table : List.of("measurement_1m", "measurement_1h", "measurement_1d")) {
                s.execute("insert into " + table + " values ('meter-1', '2026-11-20T00:00:00Z', '2026-11-20T00:01:00Z', "
                        + "10, 100, 900, 500, 230, 2.2, 8.5)");
            }
            // A priced local day and a closed charging session of that meter.
            s.execute("update measurement_1d set cost = 2.55, currency = 'EUR', day = '2026-11-20', "
                    + "time_zone = 'UTC', site = 'depot' where device_id = 'meter-1'");
            s.execute("insert into charging_session (session_id, device_id, site, state, started_at, ended_at, "
                    + "last_reading_at, duration_s, energy_wh, peak_power_w, avg_power_w, pauses, cost, currency, readings) "
                    + "values ('meter-1/2026-11-20T08:00:00Z', 'meter-1', 'depot', 'CLOSED', '2026-11-20T08:00:00Z', "
                    + "'2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z', 3600, 8500, 11000, 8500, 0, 2.55, 'EUR', 1800)");
        }
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void dataSourcesAreTheComposeServicesAndPostgresIsReadOnly() throws IOException {
        JsonNode sources = YAML.readTree(GrafanaDashboards.GRAFANA.resolve("provisioning/datasources/wattstream.yaml").toFile())
                .path("datasources");
        Map<String, JsonNode> byUid = new java.util.HashMap<>();
        sources.forEach(s -> byUid.put(s.path("uid").asText(), s));
        assertThat(byUid).containsOnlyKeys(PG_UID, PROMETHEUS_UID);
        JsonNode postgres = byUid.get(PG_UID);
        assertThat(postgres.path("type").asText()).isEqualTo("grafana-postgresql-datasource");
        assertThat(postgres.path("user").asText()).isEqualTo(ReadOnlyRole.NAME);
        assertThat(postgres.path("url").asText()).isEqualTo("postgres:5432");
        // Secrets come from the environment the compose file gives Grafana, never from this file.
        assertThat(postgres.path("secureJsonData").path("password").asText()).isEqualTo("$" + ReadOnlyRole.PASSWORD_ENV);
        assertThat(postgres.path("jsonData").path("database").asText()).isEqualTo("$POSTGRES_DB");
        JsonNode grafana = compose().path("services").path("grafana");
        assertThat(grafana.path("environment").has(ReadOnlyRole.PASSWORD_ENV)).isTrue();
        assertThat(grafana.path("environment").has("POSTGRES_DB")).isTrue();
        assertThat(byUid.get(PROMETHEUS_UID).path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(compose().path("services").has("prometheus")).isTrue();
    }

    @Test
    void dashboardsAreProvisionedFromWhereComposeMountsThem() throws IOException {
        JsonNode provider = YAML.readTree(GrafanaDashboards.GRAFANA.resolve("provisioning/dashboards/wattstream.yaml").toFile())
                .path("providers").get(0);
        String path = provider.path("options").path("path").asText();
        List<String> mounts = new ArrayList<>();
        compose().path("services").path("grafana").path("volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts).contains("./deploy/grafana/dashboards:" + path + ":ro", "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
        Set<String> uids = new HashSet<>();
        assertThat(GrafanaDashboards.files()).extracting(p -> p.getFileName().toString())
                .contains("power.json", "energy.json", "sessions.json", "health.json");
        for (Path file : GrafanaDashboards.files()) {
            JsonNode d = GrafanaDashboards.read(file);
            assertThat(uids.add(d.path("uid").asText())).as("uid of " + file).isTrue();
            assertThat(d.path("title").asText()).as(file.toString()).isNotBlank();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : GrafanaDashboards.panels(d)) {
                assertThat(ids.add(p.path("id").asInt())).as(file + " panel id " + p.path("id")).isTrue();
                assertThat(p.path("gridPos").path("w").asInt()).as(file + " " + p.path("title")).isBetween(1, 24);
            }
        }
        assertThat(GrafanaDashboards.queries()).allSatisfy(q -> assertThat(q.datasourceUid()).as(q.where()).isIn(PG_UID, PROMETHEUS_UID));
    }

    @Test
    void everySqlQueryRunsAsTheReadOnlyRoleOnTheMigratedSchema() throws SQLException {
        List<GrafanaDashboards.Query> sql = GrafanaDashboards.queries().stream().filter(q -> q.datasourceUid().equals(PG_UID)).toList();
        assertThat(sql).hasSizeGreaterThan(5);
        try (Connection bi = DriverManager.getConnection(pg.jdbcUrl(), ReadOnlyRole.NAME, "grafana-test")) {
            for (Duration range : List.of(Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(365))) {
                for (GrafanaDashboards.Query q : sql) {
                    String expanded = expand(q.text(), TO.minus(range), TO);
                    try (Statement s = bi.createStatement(); ResultSet rs = s.executeQuery(expanded)) {
                        int rows = 0;
                        while (rs.next()) {
                            rows++;
                        }
                        // The power panels pick a level for each range: each range finds its window.
                        if (q.where().startsWith("power.json panel 'Average power'")
                                || q.where().startsWith("sessions.json panel")) {
                            assertThat(rows).as(q.where() + " over " + range).isEqualTo(1);
                        }
                    } catch (SQLException e) {
                        throw new AssertionError(q.where() + " over " + range + " fails: " + e.getMessage() + "\n" + expanded, e);
                    }
                }
            }
        }
    }

    @Test
    void prometheusScrapesEveryServiceOnItsMetricsPort() throws IOException {
        JsonNode jobs = YAML.readTree(ROOT.resolve("deploy/prometheus/prometheus.yml").toFile()).path("scrape_configs");
        Map<String, String> targets = new java.util.HashMap<>();
        for (JsonNode job : jobs) {
            assertThat(job.path("metrics_path").asText()).as(job.path("job_name").asText()).isEqualTo("/observe/metrics");
            JsonNode dns = job.path("dns_sd_configs");
            String target = dns.isMissingNode() ? job.path("static_configs").get(0).path("targets").get(0).asText()
                    : dns.get(0).path("names").get(0).asText() + ":" + dns.get(0).path("port").asText();
            targets.put(job.path("job_name").asText(), target);
        }
        assertThat(targets).isEqualTo(Map.of("gateway", "gateway:8080", "query-api", "query-api:8081",
                "streams-processor", "streams-processor:8084"));
        JsonNode services = compose().path("services");
        // The ports are the ones the services' own healthchecks use.
        targets.forEach((job, target) -> assertThat(services.path(job).path("healthcheck").path("test").toString())
                .contains("localhost:" + target.split(":")[1] + "/observe/health"));
        JsonNode prometheus = services.path("prometheus");
        assertThat(prometheus.path("profiles").toString()).contains("observability");
        assertThat(services.path("grafana").path("profiles").toString()).contains("observability");
    }

    /** Grafana's macros and the dashboards' variable, as Grafana would expand them for this range. */
    private static String expand(String sql, Instant from, Instant to) {
        String out = sql
                .replaceAll("\\$__timeGroupAlias\\(([^,]+), \\$__interval\\)", "floor(extract(epoch from $1)/60)*60 AS \"time\"")
                .replaceAll("\\$__timeFilter\\(([^)]+)\\)", "$1 BETWEEN '" + from + "' AND '" + to + "'")
                .replace("$__timeFrom()", "'" + from + "'")
                .replace("$__timeTo()", "'" + to + "'")
                .replace("${device}", "'meter-1'")
                .replace("$device", "'meter-1'");
        Matcher left = MACRO.matcher(out);
        assertThat(left.find()).as("a macro the test does not know in:\n" + out).isFalse();
        return out;
    }

    /** The compose file as compose reads it (anchors and merge keys resolved). */
    private static JsonNode compose() {
        return ComposeFiles.oneBroker();
    }
}
