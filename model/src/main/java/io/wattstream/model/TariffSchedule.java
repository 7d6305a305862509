package io.wattstream.model;

import java.util.List;

/**
 * Every tariff of one scope, the value of the compacted {@code shelly.tariffs} topic keyed by the scope:
 * {@code default}, {@code site:<site>} or {@code meter:<device_id>}. One record per scope keeps a scope's
 * tariffs consistent (their validities never overlap) and lets the stream processor find the tariff of a
 * reading with three lookups: its meter's, its site's, the default.
 *
 * @param tariffs  ordered by {@code valid_from}
 */
public record TariffSchedule(String scope, List<Tariff> tariffs) {

    public static final String DEFAULT_SCOPE = "default";
    public static final String SITE_PREFIX = "site:";
    public static final String METER_PREFIX = "meter:";

    public TariffSchedule {
        tariffs = tariffs == null ? List.of() : List.copyOf(tariffs);
    }

    /** The scope of a tariff for a site, a meter, or neither (the default). */
    public static String scopeOf(String site, String deviceId) {
        if (deviceId != null) {
            return METER_PREFIX + deviceId;
        }
        return site != null ? SITE_PREFIX + site : DEFAULT_SCOPE;
    }
}
