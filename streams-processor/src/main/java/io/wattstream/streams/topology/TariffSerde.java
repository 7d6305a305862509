package io.wattstream.streams.topology;

import io.wattstream.model.JsonSerde;
import io.wattstream.model.TariffRules;
import io.wattstream.model.TariffSchedule;
import io.wattstream.streams.processors.ScopePrices;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serde of the tariffs' global table. Every reading looks up to three scopes, and the store hands back
 * bytes each time; parsing JSON and preparing the price list per reading would cost more than the rest
 * of the pricing. So values are remembered by their bytes: the same bytes give the same prepared,
 * immutable {@link ScopePrices}. Written back as the bytes that came in.
 */
final class TariffSerde implements Serde<ScopePrices> {

    private static final Logger LOG = LoggerFactory.getLogger(TariffSerde.class);
    private static final int REMEMBERED = 512;
    private static final JsonSerde<TariffSchedule> JSON = new JsonSerde<>(TariffSchedule.class);

    private final Map<ByteBuffer, ScopePrices> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ScopePrices> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Override
    public Serializer<ScopePrices> serializer() {
        return (topic, v) -> v == null ? null : v.json();
    }

    @Override
    public Deserializer<ScopePrices> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    private ScopePrices read(byte[] bytes) {
        ByteBuffer key = ByteBuffer.wrap(bytes);
        synchronized (seen) {
            ScopePrices known = seen.get(key);
            if (known != null) {
                return known;
            }
        }
        TariffSchedule schedule = JSON.fromBytes(bytes);
        TariffRules.PriceList prices = TariffRules.PriceList.of(schedule);
        prices.problems().forEach(p -> LOG.warn("Tariffs of scope {}: ignoring {}", schedule.scope(), p));
        ScopePrices v = new ScopePrices(schedule, prices, bytes.clone());
        synchronized (seen) {
            seen.put(ByteBuffer.wrap(v.json()), v);
        }
        return v;
    }
}
