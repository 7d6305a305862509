package io.wattstream.kit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A service's list of settings: each with one environment name, one config key, a default and a
 * line of description. It is the only place a service declares what can be configured: the config
 * is loaded through it and every value is read through it ({@link #reader}), so a key that is not in
 * the table cannot be read, and {@code .env-sample} is checked against it.
 */
public final class SettingsTable {

    /** The file each service keeps its own non-default values in, optional. */
    public static final String FILE = "application.yaml";

    private final String service;
    private final Map<String, Setting> byKey = new LinkedHashMap<>();

    private SettingsTable(String service, Collection<Setting> settings) {
        this.service = service;
        for (Setting s : settings) {
            if (byKey.put(s.key(), s) != null) {
                throw new IllegalArgumentException(service + " declares " + s.key() + " twice");
            }
        }
        Map<String, String> envs = new LinkedHashMap<>();
        for (Setting s : settings) {
            String other = envs.put(s.env(), s.key());
            if (other != null) {
                throw new IllegalArgumentException(service + " maps " + s.env() + " to " + other + " and " + s.key());
            }
        }
    }

    public static SettingsTable of(String service, List<Setting> settings) {
        return new SettingsTable(service, settings);
    }

    /** The table made of several lists (shared settings first, then the service's own). */
    @SafeVarargs
    public static SettingsTable of(String service, List<Setting>... parts) {
        List<Setting> all = new ArrayList<>();
        for (List<Setting> p : parts) {
            all.addAll(p);
        }
        return new SettingsTable(service, all);
    }

    public String service() {
        return service;
    }

    public List<Setting> settings() {
        return List.copyOf(byKey.values());
    }

    public Optional<Setting> setting(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /**
     * The service's config as a process sees it. Earlier sources win: the environment names of this
     * table, then system properties ({@code -Dapp.kafka.bootstrap=...}), then {@value #FILE} from the
     * classpath. No other environment variable is read.
     */
    public Config load() {
        return load(System.getenv());
    }

    /** As {@link #load()} with an explicit environment. */
    public Config load(Map<String, String> env) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(fromEnvironment(env)).name(service + " environment"))
                .addSource(ConfigSources.systemProperties())
                .addSource(ConfigSources.classpath(FILE).optional())
                .build();
    }

    /** The config entries the given environment sets through this table. */
    public Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting s : byKey.values()) {
            String value = env.get(s.env());
            if (value == null || value.isBlank()) {
                continue;
            }
            if (s.kind() == Setting.Kind.VALUE) {
                out.put(s.key(), value.trim());
            } else {
                for (String pair : value.split(",")) {
                    if (pair.isBlank()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException(s.env() + " must be name=value,name=value; '"
                                + pair.trim() + "' has no name=");
                    }
                    out.put(s.key() + "." + pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return out;
    }

    /** Reads this table's settings from a service's config node; errors name the key and its variable. */
    public SettingsReader reader(Config serviceConfig) {
        return new SettingsReader(this, SettingsReader.Source.of(serviceConfig), Setting::label);
    }

    /**
     * Reads this table's settings from plain {@code key -> value} pairs, naming settings in errors as
     * {@code label} says (e.g. the command-line flag that set it). Touches no Helidon class, so a launcher
     * can read its settings before logging is set up.
     */
    public SettingsReader reader(Map<String, String> values, Function<Setting, String> label) {
        return new SettingsReader(this, SettingsReader.Source.of(values), label);
    }
}
