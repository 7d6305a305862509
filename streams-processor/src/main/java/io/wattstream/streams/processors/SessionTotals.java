package io.wattstream.streams.processors;

import io.wattstream.model.ChargingSession.ZoneShare;
import io.wattstream.model.Money;
import io.wattstream.model.Reading;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stretch of readings adds up to in a session: energy (counter deltas), readings, peak power and
 * cost in total and per tariff zone. Immutable: {@link #add} and {@link #plus} return new totals.
 *
 * @param unpriced       a reading with energy had no price: the cost is unknown
 * @param mixedCurrency  priced readings came in more than one currency: no single cost
 */
public record SessionTotals(double energyWh, long readings, double peakW, BigDecimal cost, String currency,
                            boolean unpriced, boolean mixedCurrency, boolean counterReset, List<ZoneShare> zones) {

    public static final SessionTotals EMPTY = new SessionTotals(0, 0, 0, null, null, false, false, false, List.of());

    public SessionTotals {
        zones = List.copyOf(zones);
    }

    public SessionTotals add(Reading r) {
        boolean priced = r.cost() != null;
        List<ZoneShare> z = zones;
        if (priced && r.energyDeltaWh() != 0) {
            z = merge(zones, List.of(new ZoneShare(r.tariffId(), r.tariffZone(), r.pricePerKwh(), r.energyDeltaWh(),
                    r.cost())));
        }
        return new SessionTotals(Counter.round(energyWh + r.energyDeltaWh()), readings + 1,
                readings == 0 ? r.power() : Math.max(peakW, r.power()),
                priced ? Money.add(cost, r.cost()) : cost,
                currency != null || !priced ? currency : r.currency(),
                unpriced || (!priced && r.energyDeltaWh() > 0),
                mixedCurrency || (priced && currency != null && !currency.equals(r.currency())),
                counterReset || r.counterReset(), z);
    }

    /** These totals followed by {@code later}'s (a pause that turned out to be part of the session). */
    public SessionTotals plus(SessionTotals later) {
        if (later.readings == 0) {
            return this;
        }
        if (readings == 0) {
            return later;
        }
        boolean mixed = mixedCurrency || later.mixedCurrency
                || (currency != null && later.currency != null && !currency.equals(later.currency));
        return new SessionTotals(Counter.round(energyWh + later.energyWh), readings + later.readings,
                Math.max(peakW, later.peakW), Money.add(cost, later.cost), currency != null ? currency : later.currency,
                unpriced || later.unpriced, mixed, counterReset || later.counterReset, merge(zones, later.zones));
    }

    /** The cost, when every reading with energy had a price in one currency; else null. */
    public BigDecimal knownCost() {
        return unpriced || mixedCurrency || currency == null ? null : cost;
    }

    private static List<ZoneShare> merge(List<ZoneShare> a, List<ZoneShare> b) {
        List<ZoneShare> out = new ArrayList<>(a);
        for (ZoneShare s : b) {
            int i = indexOf(out, s);
            if (i < 0) {
                out.add(s);
            } else {
                ZoneShare o = out.get(i);
                out.set(i, new ZoneShare(o.tariffId(), o.zone(), o.pricePerKwh(), Counter.round(o.energyWh() + s.energyWh()),
                        Money.add(o.cost(), s.cost())));
            }
        }
        return out;
    }

    private static int indexOf(List<ZoneShare> list, ZoneShare s) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).tariffId().equals(s.tariffId()) && list.get(i).zone().equals(s.zone())) {
                return i;
            }
        }
        return -1;
    }
}
