package io.wattstream.query.live;

import io.wattstream.model.Tariff;
import io.wattstream.model.TariffRules;
import io.wattstream.model.TariffSchedule;
import io.wattstream.model.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The tariffs: the compacted {@code shelly.tariffs} topic, one record per scope ({@code default},
 * {@code site:<site>}, {@code meter:<id>}) holding that scope's tariffs, read whole by every instance.
 * Tariffs are addressed by id; a change rewrites its scope's record, so the stream processor always
 * sees a scope's tariffs together and never two that overlap in time. Changes are serialised within
 * this instance (tariffs are an administrator's occasional edit).
 */
public final class TariffRegistry implements AutoCloseable {

    private final TopicTable<TariffSchedule> topic;

    public TariffRegistry(String bootstrap, TopicWriter writer) {
        topic = new TopicTable<>(bootstrap, Topics.TARIFFS, writer, "tariffs", (scope, s) -> new TariffSchedule(scope, s.tariffs()));
    }

    /** Every tariff: the default first, then sites, then meters, each by {@code valid_from}. */
    public List<Tariff> all() {
        List<Tariff> out = new ArrayList<>();
        topic.all().values().forEach(s -> out.addAll(s.tariffs()));
        out.sort(Comparator.comparing((Tariff t) -> !t.scope().equals(TariffSchedule.DEFAULT_SCOPE))
                .thenComparing(Tariff::scope).thenComparing(Tariff::validFrom));
        return out;
    }

    public Optional<Tariff> get(String id) {
        return all().stream().filter(t -> t.tariffId().equals(id)).findFirst();
    }

    /**
     * Sets a (validated) tariff, in its scope; one of that id in another scope moves. Throws
     * {@link io.wattstream.model.InvalidTariffException} when it would overlap another tariff of its scope.
     */
    public synchronized Tariff put(Tariff t) {
        Optional<Tariff> before = get(t.tariffId());
        List<Tariff> scope = without(t.scope(), t.tariffId());
        scope.add(t);
        TariffRules.checkNoOverlap(scope);
        write(t.scope(), scope);
        if (before.isPresent() && !before.get().scope().equals(t.scope())) {
            write(before.get().scope(), without(before.get().scope(), t.tariffId()));
        }
        return t;
    }

    /** Removes a tariff; false when there is none of that id. */
    public synchronized boolean delete(String id) {
        Optional<Tariff> t = get(id);
        t.ifPresent(x -> write(x.scope(), without(x.scope(), id)));
        return t.isPresent();
    }

    private List<Tariff> without(String scope, String id) {
        List<Tariff> out = new ArrayList<>(topic.get(scope).map(TariffSchedule::tariffs).orElse(List.of()));
        out.removeIf(x -> x.tariffId().equals(id));
        return out;
    }

    private void write(String scope, List<Tariff> tariffs) {
        tariffs.sort(Comparator.comparing(Tariff::validFrom));
        if (tariffs.isEmpty()) {
            topic.delete(scope);
        } else {
            topic.put(scope, new TariffSchedule(scope, tariffs));
        }
    }

    @Override
    public void close() {
        topic.close();
    }
}
