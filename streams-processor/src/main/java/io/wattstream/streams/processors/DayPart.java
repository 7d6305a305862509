package io.wattstream.streams.processors;

import java.time.LocalDate;
import java.util.List;

/**
 * The readings of one window that fall on one local day of the meter (its tariff's zone, else the
 * default), with the site of the last of them: a minute usually has one part, two only when the meter's
 * zone changed within it (or a zone's midnight is not on a whole minute).
 *
 * @param timeZone null in an hour, which no day splits
 */
public record DayPart(String timeZone, LocalDate day, String site, WindowAggregate sums) {

    /** All parts' sums, in their order. */
    public static WindowAggregate total(List<DayPart> parts) {
        WindowAggregate sum = parts.get(0).sums();
        for (int i = 1; i < parts.size(); i++) {
            sum = sum.merge(parts.get(i).sums());
        }
        return sum;
    }
}
