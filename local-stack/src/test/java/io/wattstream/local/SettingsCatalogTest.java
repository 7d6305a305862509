package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.gateway.GatewaySettings;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.access.Access;
import io.wattstream.kit.access.ApiTokens;
import io.wattstream.notifier.NotifierSettings;
import io.wattstream.query.QuerySettings;
import io.wattstream.schema.MigrateMain;
import io.wattstream.streams.app.StreamsSettings;
import io.wattstream.streams.replay.ReplayMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code .env-sample} is the list of every setting that exists, and the settings tables are what the
 * services read: each name documented is read by some service, each setting read is documented, the
 * same name means the same key everywhere, and every declared key is really read by its service.
 */
class SettingsCatalogTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = ROOT.resolve(".env-sample");
    /** The group of {@code .env-sample} whose names only docker compose reads (broker-side topic set-up). */
    private static final String COMPOSE_ONLY = "docker compose only";
    private static final Pattern GROUP = Pattern.compile("^# --- (.+) ---$");
    private static final Pattern ENTRY = Pattern.compile("^#?([A-Z][A-Z0-9_]*)=(.*)$");
    /** Local-stack keys of a single service's setting carry the service's name in front. */
    private static final List<String> SERVICE_PREFIXES = List.of("gateway.", "query.", "streams.", "notifier.");

    /** Each table with the code that reads it, as the service does at start-up. */
    private record Reader(SettingsTable table, Consumer<SettingsReader> read) {
    }

    private static final List<Reader> READERS = List.of(
            new Reader(GatewaySettings.TABLE, GatewaySettings::from),
            new Reader(StreamsSettings.TABLE, StreamsSettings::from),
            new Reader(ReplayMain.TABLE, ReplayMain::target),
            new Reader(QuerySettings.TABLE, QuerySettings::from),
            new Reader(NotifierSettings.TABLE, NotifierSettings::from),
            new Reader(MigrateMain.TABLE, MigrateMain::read),
            new Reader(Options.TABLE, r -> Options.read(r, false, false)));

    /** One documented line: its group, name and (for a commented default) value. */
    private record Entry(String group, String name, String value, boolean commented) {
    }

    private static List<Entry> sample() throws IOException {
        List<Entry> out = new ArrayList<>();
        String group = "";
        for (String line : Files.readAllLines(SAMPLE)) {
            Matcher g = GROUP.matcher(line.trim());
            Matcher e = ENTRY.matcher(line.trim());
            if (g.matches()) {
                group = g.group(1);
            } else if (e.matches()) {
                out.add(new Entry(group, e.group(1), e.group(2), line.trim().startsWith("#")));
            }
        }
        return out;
    }

    private static Map<String, List<Setting>> byEnv() {
        Map<String, List<Setting>> out = new TreeMap<>();
        for (Reader r : READERS) {
            for (Setting s : r.table().settings()) {
                out.computeIfAbsent(s.env(), k -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    @Test
    void everyDocumentedNameIsReadBySomeServiceAndEveryReadNameIsDocumented() throws IOException {
        Set<String> documented = new TreeSet<>();
        List<String> unread = new ArrayList<>();
        for (Entry e : sample()) {
            assertThat(documented.add(e.name())).as(e.name() + " is listed once").isTrue();
            if (!e.group().equals(COMPOSE_ONLY) && !byEnv().containsKey(e.name())) {
                unread.add(e.name());
            }
        }
        assertThat(unread).as("names in .env-sample that no settings table declares").isEmpty();
        assertThat(documented).as("every setting of every table is in .env-sample").containsAll(byEnv().keySet());
    }

    @Test
    void composeOnlyNamesAreReallyUsedByTheComposeFile() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        List<Entry> composeOnly = sample().stream().filter(e -> e.group().equals(COMPOSE_ONLY)).toList();
        assertThat(composeOnly).isNotEmpty();
        for (Entry e : composeOnly) {
            assertThat(compose).as(e.name()).contains("${" + e.name());
            assertThat(byEnv()).as(e.name() + " is no service's setting").doesNotContainKey(e.name());
        }
    }

    @Test
    void oneNameMeansOneKeyEverywhere() {
        Map<String, Set<String>> keys = new TreeMap<>();
        byEnv().forEach((env, settings) -> {
            Set<String> k = new LinkedHashSet<>();
            settings.forEach(s -> k.add(unprefixed(s.key())));
            keys.put(env, k);
        });
        keys.forEach((env, k) -> assertThat(k).as(env).hasSize(1));
        // ... and one key one name, except each service's own port (server.port).
        Map<String, Set<String>> names = new TreeMap<>();
        keys.forEach((env, k) -> names.computeIfAbsent(k.iterator().next(), x -> new TreeSet<>()).add(env));
        names.remove("server.port");
        names.forEach((key, n) -> assertThat(n).as(key).hasSize(1));
    }

    @Test
    void eachServiceReadsEveryKeyItsTableDeclares() {
        for (Reader r : READERS) {
            // The one setting without a default that a service cannot start without.
            SettingsReader recording = r.table().reader(Config.just(ConfigSources.create(
                    Map.of(Access.ADMIN_TOKEN.key(), ApiTokens.generate()))));
            r.read().accept(recording);
            assertThat(recording.asked()).as(r.table().service())
                    .containsExactlyInAnyOrderElementsOf(r.table().settings().stream().map(Setting::key).toList());
        }
    }

    @Test
    void aServicesCommentedDefaultIsTheDefaultItApplies() throws IOException {
        Map<String, SettingsTable> groups = new LinkedHashMap<>();
        READERS.forEach(r -> groups.put(r.table().service(), r.table()));
        List<String> wrong = new ArrayList<>();
        for (Entry e : sample()) {
            SettingsTable table = groups.get(e.group());
            if (table == null || !e.commented()) {
                continue;
            }
            Setting s = table.settings().stream().filter(x -> x.env().equals(e.name())).findFirst().orElse(null);
            String expected = s == null || s.defaultValue() == null ? "" : s.defaultValue();
            if (s == null || !expected.equals(e.value())) {
                wrong.add(e.group() + ": " + e.name() + "=" + e.value() + " (applies '" + expected + "')");
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static String unprefixed(String key) {
        return SERVICE_PREFIXES.stream().filter(key::startsWith).findFirst().map(p -> key.substring(p.length())).orElse(key);
    }
}
