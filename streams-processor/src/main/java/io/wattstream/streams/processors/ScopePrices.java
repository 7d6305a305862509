package io.wattstream.streams.processors;

import io.wattstream.model.TariffRules;
import io.wattstream.model.TariffSchedule;

/**
 * One scope's tariffs as the topology holds them (value of {@link io.wattstream.streams.topology.StoreNames#TARIFFS}):
 * the schedule as published and its prepared price list.
 *
 * @param json the value as it came from {@code shelly.tariffs}, written back unchanged into the store
 */
public record ScopePrices(TariffSchedule schedule, TariffRules.PriceList prices, byte[] json) {
}
