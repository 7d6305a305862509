package io.wattstream.kit;

import io.helidon.config.Config;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Typed values of one service's settings. A blank value counts as unset, so the table's default
 * applies; a malformed one is an {@link IllegalArgumentException} naming the setting and what it
 * accepts. It remembers every key asked for, so a test can compare what a service reads with what
 * its table declares.
 */
public final class SettingsReader {

    /** Where the values come from: a Helidon config node, or plain key-value pairs. */
    interface Source {
        Optional<String> value(String key);

        /** The entries below {@code key}, named relative to it. */
        Map<String, String> group(String key);

        static Source of(Config root) {
            return new Source() {
                @Override
                public Optional<String> value(String key) {
                    return root.get(key).asString().asOptional();
                }

                @Override
                public Map<String, String> group(String key) {
                    return root.get(key).detach().asMap().orElse(Map.of());
                }
            };
        }

        static Source of(Map<String, String> values) {
            return new Source() {
                @Override
                public Optional<String> value(String key) {
                    return Optional.ofNullable(values.get(key));
                }

                @Override
                public Map<String, String> group(String key) {
                    Map<String, String> out = new TreeMap<>();
                    values.forEach((k, v) -> {
                        if (k.startsWith(key + ".")) {
                            out.put(k.substring(key.length() + 1), v);
                        }
                    });
                    return out;
                }
            };
        }
    }

    private final SettingsTable table;
    private final Source source;
    private final Function<Setting, String> label;
    private final Set<String> asked = new LinkedHashSet<>();

    SettingsReader(SettingsTable table, Source source, Function<Setting, String> label) {
        this.table = table;
        this.source = source;
        this.label = label;
    }

    /** Every key read so far, in reading order. */
    public Set<String> asked() {
        return Collections.unmodifiableSet(asked);
    }

    /** The value, or the default; empty when neither exists. */
    public Optional<String> optional(String key) {
        Setting s = declared(key);
        Optional<String> set = source.value(key).map(String::trim).filter(v -> !v.isEmpty());
        return set.isPresent() ? set : Optional.ofNullable(s.defaultValue());
    }

    /** The value, or the default; the empty string when neither exists. */
    public String string(String key) {
        return optional(key).orElse("");
    }

    public int integer(String key) {
        return parse(key, "a whole number", Integer::parseInt);
    }

    /** A whole number in {@code [min, max]}. */
    public int integer(String key, int min, int max) {
        int v = integer(key);
        require(min <= v && v <= max, key, "must be between " + min + " and " + max, v);
        return v;
    }

    public long longValue(String key) {
        return parse(key, "a whole number", Long::parseLong);
    }

    public double number(String key) {
        double v = parse(key, "a number", Double::parseDouble);
        require(Double.isFinite(v), key, "must be a finite number", v);
        return v;
    }

    public boolean bool(String key) {
        return parse(key, "true or false", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(v);
        });
    }

    /** A duration in the one syntax of {@link Durations}. */
    public Duration duration(String key) {
        String v = required(key);
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name(key) + " " + e.getMessage() + ", got '" + v + "'");
        }
    }

    /** The pass-through settings of a {@link Setting.Kind#GROUP} setting, sorted by name. */
    public Map<String, String> group(String key) {
        Setting s = declared(key);
        if (s.kind() != Setting.Kind.GROUP) {
            throw new IllegalStateException(key + " is not a group setting");
        }
        return new TreeMap<>(source.group(key));
    }

    /** Throws the setting's error when {@code ok} is false: "{@code <name> <what>, got '<value>'}". */
    public void require(boolean ok, String key, String what, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(name(key) + " " + what + ", got '" + value + "'");
        }
    }

    private <T> T parse(String key, String what, Function<String, T> parser) {
        String v = required(key);
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name(key) + " must be " + what + ", got '" + v + "'");
        }
    }

    private String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalArgumentException(name(key) + " must be set"));
    }

    private String name(String key) {
        return label.apply(declared(key));
    }

    private Setting declared(String key) {
        asked.add(key);
        return table.setting(key).orElseThrow(() -> new IllegalStateException(
                key + " is read but not declared in the " + table.service() + " settings table"));
    }
}
