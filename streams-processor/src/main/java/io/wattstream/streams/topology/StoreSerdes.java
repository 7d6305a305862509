package io.wattstream.streams.topology;

import io.wattstream.model.Alert;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import io.wattstream.streams.processors.AlertState;
import io.wattstream.streams.processors.Counter;
import io.wattstream.streams.processors.DailyState;
import io.wattstream.streams.processors.SessionState;
import io.wattstream.streams.processors.SessionTotals;
import io.wattstream.model.ChargingSession;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import io.wattstream.streams.processors.HeldPartials;
import io.wattstream.streams.processors.MeterState;
import io.wattstream.streams.processors.WindowAggregate;
import io.wattstream.streams.processors.DayPart;
import io.wattstream.streams.processors.OpenWindows;

/**
 * Compact binary serdes for the state stores and their changelogs, which only this application reads.
 * Stores are read and written for every reading, and JSON (text doubles, ISO instants) was most of the
 * processing cost. Each value starts with a format version byte so a later format can still read
 * existing changelogs: each version appends fields to the one before (2: energy flags, 3: costs), whose
 * values read with those fields at their defaults; 4 changes no layout but the latest-reading store's, which
 * became the whole meter state (a value before 4 there is a reading alone). Public topics stay plain JSON.
 */
final class StoreSerdes {

    private static final byte V1 = 1;
    private static final byte V2 = 2;
    private static final byte V3 = 3;
    private static final byte V4 = 4;

    interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in, byte version) throws IOException;
    }

    static final Serde<AlertState> ALERT_STATE = serde(StoreSerdes::writeAlertState, StoreSerdes::readAlertState);
    /** The former meter-state store's values: counters only (read to move them, never written). */
    static final Serde<MeterState> METER = serde(StoreSerdes::writeMeter, StoreSerdes::readMeter);
    /** The latest-reading store's values: the whole meter state from version 4, a reading alone before. */
    static final Serde<MeterState> METER_STATE = serde(StoreSerdes::writeMeterState,
            (in, version) -> version < V4 ? MeterState.legacy(readReading(in, version)) : readMeterState(in, version));
    static final Serde<OpenWindows> WINDOWS = serde(StoreSerdes::writeWindows, StoreSerdes::readWindows);
    /** The former window stores' values: one window's sums (read to move them, never written). */
    static final Serde<WindowAggregate> WINDOW = serde(StoreSerdes::writeWindow, StoreSerdes::readWindow);
    static final Serde<SessionState> SESSION = serde(StoreSerdes::writeSession, StoreSerdes::readSession);
    static final Serde<DailyState> DAILY = serde(StoreSerdes::writeDaily, StoreSerdes::readDaily);
    /** The former held-partials store's values (read to move them, never written). */
    static final Serde<HeldPartials> HELD = serde((out, h) -> writeRaws(out, h.partials()),
            (in, version) -> new HeldPartials(readRaws(in, version)));

    static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(V4);
                writer.write(out, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte version = in.readByte();
                if (version < V1 || version > V4) {
                    throw new SerializationException("unknown state format version " + version);
                }
                return reader.read(in, version);
            } catch (IOException e) {
                throw new SerializationException("unreadable state value", e);
            }
        });
    }

    private static void writeWindows(DataOutputStream out, OpenWindows w) throws IOException {
        out.writeInt(w.windows().size());
        for (OpenWindows.Window window : w.windows()) {
            instant(out, window.start());
            out.writeBoolean(window.closed());
            out.writeInt(window.parts().size());
            for (DayPart p : window.parts()) {
                str(out, p.timeZone());
                out.writeBoolean(p.day() != null);
                if (p.day() != null) {
                    out.writeLong(p.day().toEpochDay());
                }
                str(out, p.site());
                writeWindow(out, p.sums());
            }
        }
    }

    private static OpenWindows readWindows(DataInputStream in, byte version) throws IOException {
        int n = in.readInt();
        List<OpenWindows.Window> windows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant start = instant(in);
            boolean closed = in.readBoolean();
            int parts = in.readInt();
            List<DayPart> list = new ArrayList<>(parts);
            for (int j = 0; j < parts; j++) {
                String zone = str(in);
                LocalDate day = in.readBoolean() ? LocalDate.ofEpochDay(in.readLong()) : null;
                list.add(new DayPart(zone, day, str(in), readWindow(in, version)));
            }
            windows.add(new OpenWindows.Window(start, closed, list));
        }
        return new OpenWindows(windows);
    }

    private static void writeRaws(DataOutputStream out, List<RawReading> raws) throws IOException {
        out.writeInt(raws.size());
        for (RawReading r : raws) {
            writeRaw(out, r);
        }
    }

    private static List<RawReading> readRaws(DataInputStream in, byte version) throws IOException {
        int n = in.readInt();
        List<RawReading> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readRaw(in, version));
        }
        return list;
    }

    private static void writeMeterState(DataOutputStream out, MeterState m) throws IOException {
        counter(out, m.consumed());
        counter(out, m.returned());
        out.writeBoolean(m.latest() != null);
        if (m.latest() != null) {
            writeReading(out, m.latest());
        }
        writeRaws(out, m.held());
    }

    private static MeterState readMeterState(DataInputStream in, byte version) throws IOException {
        Counter.State consumed = counter(in);
        Counter.State returned = counter(in);
        Reading latest = in.readBoolean() ? readReading(in, version) : null;
        return new MeterState(consumed, returned, latest, readRaws(in, version));
    }

    private static void writeRaw(DataOutputStream out, RawReading r) throws IOException {
        str(out, r.deviceId());
        dbl(out, r.power());
        dbl(out, r.voltage());
        dbl(out, r.current());
        dbl(out, r.energy());
        instant(out, r.timestamp());
        instant(out, r.receivedAt());
        str(out, r.source() == null ? null : r.source().name());
        dbl(out, r.freq());
        dbl(out, r.pf());
        dbl(out, r.temperatureC());
        bool(out, r.output());
        out.writeBoolean(r.partial());
        out.writeBoolean(r.deviceTime());
        dbl(out, r.energyReturned());
        str(out, r.errors());
    }

    private static RawReading readRaw(DataInputStream in, byte version) throws IOException {
        // Fields in the order writeRaw wrote them (a builder chain evaluates left to right).
        RawReading.Builder b = RawReading.builder().deviceId(str(in)).power(dbl(in)).voltage(dbl(in)).current(dbl(in))
                .energy(dbl(in)).timestamp(instant(in)).receivedAt(instant(in)).source(source(in)).freq(dbl(in))
                .pf(dbl(in)).temperatureC(dbl(in)).output(bool(in)).partial(in.readBoolean())
                .deviceTime(in.readBoolean());
        if (version >= V2) {
            b.energyReturned(dbl(in)).errors(str(in));
        }
        return b.build();
    }

    private static void writeReading(DataOutputStream out, Reading r) throws IOException {
        str(out, r.deviceId());
        out.writeDouble(r.power());
        out.writeDouble(r.voltage());
        out.writeDouble(r.current());
        out.writeDouble(r.energy());
        instant(out, r.timestamp());
        instant(out, r.receivedAt());
        str(out, r.source() == null ? null : r.source().name());
        dbl(out, r.freq());
        dbl(out, r.pf());
        dbl(out, r.temperatureC());
        bool(out, r.output());
        out.writeDouble(r.energyDeltaWh());
        out.writeBoolean(r.counterReset());
        out.writeBoolean(r.overThreshold());
        str(out, r.deviceName());
        str(out, r.site());
        dbl(out, r.energyReturned());
        out.writeDouble(r.energyReturnedDeltaWh());
        out.writeDouble(r.energyFromPowerWh());
        out.writeBoolean(r.implausibleJump());
        out.writeBoolean(r.late1m());
        out.writeBoolean(r.late1h());
        str(out, r.errors());
        decimal(out, r.cost());
        str(out, r.currency());
        str(out, r.tariffId());
        str(out, r.tariffZone());
        decimal(out, r.pricePerKwh());
    }

    private static Reading readReading(DataInputStream in, byte version) throws IOException {
        Reading.Builder b = Reading.builder().deviceId(str(in)).power(in.readDouble()).voltage(in.readDouble())
                .current(in.readDouble()).energy(in.readDouble()).timestamp(instant(in)).receivedAt(instant(in))
                .source(source(in)).freq(dbl(in)).pf(dbl(in)).temperatureC(dbl(in)).output(bool(in))
                .energyDeltaWh(in.readDouble()).counterReset(in.readBoolean()).overThreshold(in.readBoolean())
                .deviceName(str(in)).site(str(in));
        if (version >= V2) {
            b.energyReturned(dbl(in)).energyReturnedDeltaWh(in.readDouble()).energyFromPowerWh(in.readDouble())
                    .implausibleJump(in.readBoolean()).late1m(in.readBoolean()).late1h(in.readBoolean()).errors(str(in));
        }
        if (version >= V3) {
            b.cost(decimal(in)).currency(str(in)).tariffId(str(in)).tariffZone(str(in)).pricePerKwh(decimal(in));
        }
        return b.build();
    }

    private static void writeMeter(DataOutputStream out, MeterState m) throws IOException {
        counter(out, m.consumed());
        counter(out, m.returned());
    }

    private static MeterState readMeter(DataInputStream in, byte version) throws IOException {
        return MeterState.counters(counter(in), counter(in));
    }

    private static void counter(DataOutputStream out, Counter.State c) throws IOException {
        out.writeBoolean(c != null);
        if (c != null) {
            out.writeDouble(c.baselineWh());
            instant(out, c.at());
            dbl(out, c.suspectWh());
            instant(out, c.suspectAt());
        }
    }

    private static Counter.State counter(DataInputStream in) throws IOException {
        return in.readBoolean() ? new Counter.State(in.readDouble(), instant(in), dbl(in), instant(in)) : null;
    }

    private static void writeAlertState(DataOutputStream out, AlertState s) throws IOException {
        instant(out, s.lastSeenAt());
        alert(out, s.power());
        alert(out, s.offline());
        out.writeInt(s.errors().size());
        for (Alert a : s.errors().values()) {
            alert(out, a);
        }
        alert(out, s.temperature());
    }

    private static AlertState readAlertState(DataInputStream in, byte version) throws IOException {
        Instant lastSeen = instant(in);
        Alert power = alert(in, version);
        Alert offline = alert(in, version);
        if (version < V2) {
            return new AlertState(lastSeen, power, offline);
        }
        java.util.SortedMap<String, Alert> errors = new java.util.TreeMap<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Alert a = alert(in, version);
            errors.put(a.detail(), a);
        }
        return new AlertState(lastSeen, power, offline, errors, alert(in, version));
    }

    private static void alert(DataOutputStream out, Alert a) throws IOException {
        out.writeBoolean(a != null);
        if (a == null) {
            return;
        }
        str(out, a.deviceId());
        str(out, a.kind().name());
        str(out, a.state().name());
        dbl(out, a.thresholdW());
        dbl(out, a.powerW());
        dbl(out, a.peakW());
        instant(out, a.startedAt());
        instant(out, a.endedAt());
        dbl(out, a.durationS());
        str(out, a.detail());
    }

    private static Alert alert(DataInputStream in, byte version) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        Alert a = new Alert(str(in), Alert.Kind.valueOf(str(in)), Alert.State.valueOf(str(in)), dbl(in), dbl(in),
                dbl(in), instant(in), instant(in), dbl(in));
        return version >= V2 ? new Alert(a.deviceId(), a.kind(), a.state(), a.thresholdW(), a.powerW(), a.peakW(),
                a.startedAt(), a.endedAt(), a.durationS(), str(in)) : a;
    }

    private static void writeWindow(DataOutputStream out, WindowAggregate w) throws IOException {
        out.writeLong(w.count());
        out.writeDouble(w.powerMin());
        out.writeDouble(w.powerMax());
        out.writeDouble(w.powerSum());
        out.writeDouble(w.voltageSum());
        out.writeDouble(w.currentSum());
        out.writeDouble(w.energyWh());
        out.writeDouble(w.energyReturnedWh());
        out.writeDouble(w.energyFromPowerWh());
        decimal(out, w.cost());
        str(out, w.currency());
        out.writeBoolean(w.unpriced());
        out.writeBoolean(w.mixedCurrency());
    }

    private static WindowAggregate readWindow(DataInputStream in, byte version) throws IOException {
        long count = in.readLong();
        double min = in.readDouble();
        double max = in.readDouble();
        double power = in.readDouble();
        double voltage = in.readDouble();
        double current = in.readDouble();
        double energy = in.readDouble();
        double returned = version >= V2 ? in.readDouble() : 0;
        double fromPower = version >= V2 ? in.readDouble() : 0;
        if (version < V3) {
            // Before costs: nothing known about prices, so the window's cost stays unknown.
            return new WindowAggregate(count, min, max, power, voltage, current, energy, returned, fromPower, null, null,
                    energy > 0, false);
        }
        return new WindowAggregate(count, min, max, power, voltage, current, energy, returned, fromPower, decimal(in),
                str(in), in.readBoolean(), in.readBoolean());
    }

    private static void writeSession(DataOutputStream out, SessionState s) throws IOException {
        out.writeBoolean(s.open());
        instant(out, s.startedAt());
        totals(out, s.session());
        instant(out, s.pauseStart());
        totals(out, s.tail());
        out.writeInt(s.pauses());
        instant(out, s.lastReadingAt());
        instant(out, s.lastEmittedAt());
        out.writeLong(s.lastSeenWallMs());
        out.writeLong(s.endAfter().toMillis());
        str(out, s.deviceName());
        str(out, s.site());
    }

    private static SessionState readSession(DataInputStream in, byte version) throws IOException {
        return new SessionState(in.readBoolean(), instant(in), totals(in), instant(in), totals(in), in.readInt(),
                instant(in), instant(in), in.readLong(), Duration.ofMillis(in.readLong()), str(in), str(in));
    }

    private static void totals(DataOutputStream out, SessionTotals t) throws IOException {
        out.writeDouble(t.energyWh());
        out.writeLong(t.readings());
        out.writeDouble(t.peakW());
        decimal(out, t.cost());
        str(out, t.currency());
        out.writeBoolean(t.unpriced());
        out.writeBoolean(t.mixedCurrency());
        out.writeBoolean(t.counterReset());
        out.writeInt(t.zones().size());
        for (ChargingSession.ZoneShare z : t.zones()) {
            str(out, z.tariffId());
            str(out, z.zone());
            decimal(out, z.pricePerKwh());
            out.writeDouble(z.energyWh());
            decimal(out, z.cost());
        }
    }

    private static SessionTotals totals(DataInputStream in) throws IOException {
        double energy = in.readDouble();
        long readings = in.readLong();
        double peak = in.readDouble();
        BigDecimal cost = decimal(in);
        String currency = str(in);
        boolean unpriced = in.readBoolean();
        boolean mixed = in.readBoolean();
        boolean reset = in.readBoolean();
        int n = in.readInt();
        List<ChargingSession.ZoneShare> zones = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            zones.add(new ChargingSession.ZoneShare(str(in), str(in), decimal(in), in.readDouble(), decimal(in)));
        }
        return new SessionTotals(energy, readings, peak, cost, currency, unpriced, mixed, reset, zones);
    }

    private static void writeDaily(DataOutputStream out, DailyState s) throws IOException {
        out.writeInt(s.days().size());
        for (DailyState.Day d : s.days()) {
            out.writeLong(d.day().toEpochDay());
            str(out, d.timeZone());
            instant(out, d.start());
            instant(out, d.end());
            str(out, d.site());
            writeWindow(out, d.sums());
        }
    }

    private static DailyState readDaily(DataInputStream in, byte version) throws IOException {
        int n = in.readInt();
        List<DailyState.Day> days = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            days.add(new DailyState.Day(LocalDate.ofEpochDay(in.readLong()), str(in), instant(in), instant(in), str(in),
                    readWindow(in, version)));
        }
        return new DailyState(days);
    }

    private static void decimal(DataOutputStream out, BigDecimal d) throws IOException {
        str(out, d == null ? null : d.toPlainString());
    }

    private static BigDecimal decimal(DataInputStream in) throws IOException {
        String s = str(in);
        return s == null ? null : new BigDecimal(s);
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String str(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static RawReading.Source source(DataInputStream in) throws IOException {
        String s = str(in);
        return s == null ? null : RawReading.Source.valueOf(s);
    }

    private static void dbl(DataOutputStream out, Double d) throws IOException {
        out.writeBoolean(d != null);
        if (d != null) {
            out.writeDouble(d);
        }
    }

    private static Double dbl(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static void bool(DataOutputStream out, Boolean b) throws IOException {
        out.writeByte(b == null ? 2 : b ? 1 : 0);
    }

    private static Boolean bool(DataInputStream in) throws IOException {
        byte b = in.readByte();
        return b == 2 ? null : b == 1;
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private StoreSerdes() {
    }
}
