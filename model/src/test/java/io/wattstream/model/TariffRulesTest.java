package io.wattstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TariffRulesTest {

    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");

    static Tariff.Zone zone(String name, List<String> days, String from, String to, String price) {
        return new Tariff.Zone(name, days, from, to, new BigDecimal(price));
    }

    static Tariff tariff(String id, String zoneId, List<Tariff.Zone> zones) {
        return new Tariff(id, null, "Home", null, "EUR", zoneId, FROM, null, zones);
    }

    /** Night 00:00-07:00 at 0.25, day 07:00-24:00 at 0.35, every day. */
    static Tariff dayNight(String id, Instant from, Instant to) {
        return new Tariff(id, "Day/night", "Home", null, "EUR", "Europe/Berlin", from, to, List.of(
                zone("night", null, "00:00", "07:00", "0.25"), zone("day", null, "07:00", "24:00", "0.35")));
    }

    @Test
    void aWholeWeekInTwoZonesIsValidAndNormalised() {
        Tariff t = TariffRules.validated(new Tariff("t1", null, null, null, "eur", "Europe/Berlin", FROM, null, List.of(
                zone("peak", List.of("fri", "MON", "TUE", "WED", "THU"), "07:00", "22:00", "0.400"),
                zone("off-peak", List.of("MON", "TUE", "WED", "THU", "FRI"), "00:00", "07:00", "0.20"),
                zone("off-peak", List.of("MON", "TUE", "WED", "THU", "FRI"), "22:00", "24:00", "0.2"),
                zone("off-peak", List.of("SAT", "SUN"), null, null, "0.2"))));

        assertThat(t.currency()).isEqualTo("EUR");
        assertThat(t.zones().get(0).days()).containsExactly("MON", "TUE", "WED", "THU", "FRI");
        assertThat(t.zones().get(0).pricePerKwh()).isEqualByComparingTo("0.4").hasToString("0.4");
        assertThat(t.zones().get(3).from()).isEqualTo("00:00");
        assertThat(t.zones().get(3).to()).isEqualTo("24:00");
        assertThat(t.scope()).isEqualTo(TariffSchedule.DEFAULT_SCOPE);
    }

    @Test
    void overlappingZonesAreRefusedNamingBothAndWhere() {
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "Europe/Berlin", List.of(
                zone("night", null, "00:00", "07:00", "0.25"), zone("day", null, "06:00", "24:00", "0.35")))))
                .isInstanceOf(InvalidTariffException.class)
                .hasMessage("zones[0] 'night' and zones[1] 'day' overlap on MON 06:00-07:00: every minute of the week "
                        + "needs exactly one zone");
    }

    @Test
    void aGapIsRefusedNamingTheDayAndTheTimes() {
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "Europe/Berlin", List.of(
                zone("night", null, "00:00", "07:00", "0.25"),
                zone("day", List.of("MON", "TUE", "WED", "THU", "FRI", "SAT"), "07:00", "24:00", "0.35")))))
                .isInstanceOf(InvalidTariffException.class)
                .hasMessage("the zones leave SUN 07:00-24:00 without a price: every minute of the week needs exactly one zone");
    }

    @Test
    void eachMalformedFieldIsNamed() {
        List<Tariff.Zone> flat = List.of(zone("flat", null, null, null, "0.3"));
        assertThatThrownBy(() -> TariffRules.validated(new Tariff("t", null, null, null, "EURO", "UTC", FROM, null, flat)))
                .hasMessageContaining("field 'currency'");
        assertThatThrownBy(() -> TariffRules.validated(new Tariff("t", null, null, null, "EUR", "+02:00", FROM, null, flat)))
                .hasMessageContaining("field 'time_zone'");
        assertThatThrownBy(() -> TariffRules.validated(new Tariff("t", null, null, null, "EUR", "UTC", null, null, flat)))
                .hasMessage("field 'valid_from' is required");
        assertThatThrownBy(() -> TariffRules.validated(new Tariff("t", null, null, null, "EUR", "UTC", FROM, FROM, flat)))
                .hasMessageContaining("field 'valid_to'");
        assertThatThrownBy(() -> TariffRules.validated(new Tariff("t", null, "A", "m-1", "EUR", "UTC", FROM, null, flat)))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "UTC", List.of(zone("x", null, "25:00", null, "1")))))
                .hasMessageContaining("field 'zones[0].from'");
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "UTC", List.of(zone("x", List.of("MOM"), null, null, "1")))))
                .hasMessageContaining("field 'zones[0].days'");
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "UTC", List.of(zone("x", null, null, null, "0.1234567")))))
                .hasMessageContaining("field 'zones[0].price_per_kwh'");
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "UTC", List.of(zone("x", null, null, null, "-1")))))
                .hasMessageContaining("field 'zones[0].price_per_kwh'");
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "UTC", List.of(zone("x", null, "22:00", "06:00", "1")))))
                .hasMessageContaining("across midnight");
        assertThatThrownBy(() -> TariffRules.validated(tariff("t", "UTC", List.of(
                zone("x", null, "00:00", "12:00", "1"), zone("x", null, "12:00", "24:00", "2")))))
                .hasMessageContaining("a zone name has one price");
        assertThatThrownBy(() -> TariffRules.validated(tariff("bad id", "UTC", flat)))
                .hasMessageContaining("field 'tariff_id'");
    }

    @Test
    void twoTariffsOfOneScopeMayNotApplyAtTheSameTime() {
        Instant change = Instant.parse("2026-07-01T00:00:00Z");
        TariffRules.checkNoOverlap(List.of(dayNight("b", change, null), dayNight("a", FROM, change)));
        assertThatThrownBy(() -> TariffRules.checkNoOverlap(List.of(dayNight("a", FROM, null), dayNight("b", change, null))))
                .isInstanceOf(InvalidTariffException.class)
                .hasMessageContaining("tariff 'b'").hasMessageContaining("overlaps tariff 'a'")
                .hasMessageContaining("site 'Home'");
    }

    @Test
    void thePriceFollowsLocalTimeAcrossTheDaylightSavingChange() {
        TariffRules.PriceList prices = TariffRules.PriceList.of(new TariffSchedule("site:Home",
                List.of(dayNight("dn", FROM, null))));
        // 05:30 UTC is 07:30 in summer (CEST, +2) but 06:30 in winter (CET, +1): day before, night after the change.
        assertThat(prices.at(Instant.parse("2026-10-24T05:30:00Z")).zone()).isEqualTo("day");
        assertThat(prices.at(Instant.parse("2026-10-25T05:30:00Z")).zone()).isEqualTo("night");
        assertThat(prices.at(Instant.parse("2026-10-25T06:00:00Z")).zone()).isEqualTo("day");
        assertThat(prices.at(Instant.parse("2026-10-25T06:00:00Z")).pricePerKwh()).isEqualByComparingTo("0.35");
        assertThat(prices.at(Instant.parse("2025-12-31T23:59:59Z"))).as("before valid_from").isNull();
    }

    @Test
    void aNewTariffAppliesFromItsValidFrom() {
        Instant change = Instant.parse("2026-07-01T00:00:00Z");
        Tariff later = new Tariff("new", null, "Home", null, "EUR", "UTC", change, null,
                List.of(zone("flat", null, null, null, "0.5")));
        TariffRules.PriceList prices = TariffRules.PriceList.of(new TariffSchedule("site:Home",
                List.of(dayNight("old", FROM, change), later)));
        assertThat(prices.at(change.minusNanos(1000)).tariffId()).isEqualTo("old");
        assertThat(prices.at(change).tariffId()).isEqualTo("new");
    }

    @Test
    void aBrokenTariffOnTheTopicIsLeftOutAndNamed() {
        Tariff broken = tariff("broken", "Nowhere/City", List.of(zone("x", null, null, null, "1")));
        TariffRules.PriceList prices = TariffRules.PriceList.of(new TariffSchedule("site:Home", List.of(broken)));
        assertThat(prices.at(FROM)).isNull();
        assertThat(prices.problems()).singleElement().asString().contains("broken", "time_zone");
    }
}
