package io.wattstream.streams.processors;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One meter's open local days (value of {@link io.wattstream.streams.topology.StoreNames#DAILY_STATE}):
 * usually today, and yesterday until its grace has passed.
 */
public record DailyState(List<Day> days) {

    /**
     * One local calendar day of the meter.
     *
     * @param start its local midnight, as an instant
     * @param end   the next local midnight (23 or 25 hours later on a daylight-saving change)
     */
    public record Day(LocalDate day, String timeZone, Instant start, Instant end, String site, WindowAggregate sums) {
    }

    public DailyState {
        days = List.copyOf(days);
    }
}
