package io.wattstream.streams.processors;

import io.wattstream.model.Money;
import io.wattstream.model.Reading;
import io.wattstream.model.TariffRules;
import io.wattstream.model.TariffSchedule;
import io.wattstream.streams.topology.StoreNames;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Prices each reading's energy delta at the price in force at the reading's own time, in its tariff's
 * time zone (so daylight-saving changes move the zones with local time): the meter's own tariff, else
 * its site's, else the default. A reading no tariff applies to gets no cost (null, never 0). Also
 * sets the zone of the meter's local day: the tariff's, else the configured default.
 */
public final class PriceProcessor implements FixedKeyProcessor<String, Measured, Measured> {

    private final ZoneId defaultZone;
    private FixedKeyProcessorContext<String, Measured> context;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<ScopePrices>> tariffs;

    public PriceProcessor(ZoneId defaultZone) {
        this.defaultZone = defaultZone;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Measured> context) {
        this.context = context;
        this.tariffs = context.getStateStore(StoreNames.TARIFFS);
    }

    @Override
    public void process(FixedKeyRecord<String, Measured> record) {
        Measured m = record.value();
        Reading r = m.reading();
        TariffRules.Price price = priceOf(r.deviceId(), r.site(), r.timestamp());
        if (price == null) {
            context.forward(record.withValue(m.priced(r, defaultZone)));
            return;
        }
        Reading priced = r.toBuilder().cost(Money.cost(r.energyDeltaWh(), price.pricePerKwh())).currency(price.currency())
                .tariffId(price.tariffId()).tariffZone(price.zone()).pricePerKwh(price.pricePerKwh()).build();
        context.forward(record.withValue(m.priced(priced, price.timeZone())));
    }

    private TariffRules.Price priceOf(String deviceId, String site, Instant t) {
        TariffRules.Price p = in(TariffSchedule.METER_PREFIX + deviceId, t);
        if (p == null && site != null) {
            p = in(TariffSchedule.SITE_PREFIX + site, t);
        }
        return p != null ? p : in(TariffSchedule.DEFAULT_SCOPE, t);
    }

    private TariffRules.Price in(String scope, Instant t) {
        ValueAndTimestamp<ScopePrices> v = tariffs.get(scope);
        return v == null || v.value() == null ? null : v.value().prices().at(t);
    }
}
