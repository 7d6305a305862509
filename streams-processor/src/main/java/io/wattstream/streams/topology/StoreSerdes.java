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
import io.wattstream.streams.processors.HeldPartials;
import io.wattstream.streams.processors.MeterState;
import io.wattstream.streams.processors.WindowAggregate;

/**
 * Compact binary serdes for the state stores and their changelogs, which only this application reads.
 * Stores are read and written for every reading, and JSON (text doubles, ISO instants) was most of the
 * processing cost. Each value starts with a format version byte so a later format can still read
 * existing changelogs: version 2 appends fields to version 1, whose values read with those fields at
 * their defaults. Public topics stay plain JSON.
 */
final class StoreSerdes {

    private static final byte V1 = 1;
    private static final byte V2 = 2;

    interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in, byte version) throws IOException;
    }

    static final Serde<Reading> READING = serde(StoreSerdes::writeReading, StoreSerdes::readReading);
    static final Serde<AlertState> ALERT_STATE = serde(StoreSerdes::writeAlertState, StoreSerdes::readAlertState);
    static final Serde<WindowAggregate> WINDOW = serde(StoreSerdes::writeWindow, StoreSerdes::readWindow);
    static final Serde<MeterState> METER = serde(StoreSerdes::writeMeter, StoreSerdes::readMeter);
    static final Serde<HeldPartials> HELD = serde((out, h) -> {
        out.writeInt(h.partials().size());
        for (RawReading r : h.partials()) {
            writeRaw(out, r);
        }
    }, (in, version) -> {
        int n = in.readInt();
        List<RawReading> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readRaw(in, version));
        }
        return new HeldPartials(list);
    });

    static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(V2);
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
                if (version != V1 && version != V2) {
                    throw new SerializationException("unknown state format version " + version);
                }
                return reader.read(in, version);
            } catch (IOException e) {
                throw new SerializationException("unreadable state value", e);
            }
        });
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
        return b.build();
    }

    private static void writeMeter(DataOutputStream out, MeterState m) throws IOException {
        counter(out, m.consumed());
        counter(out, m.returned());
    }

    private static MeterState readMeter(DataInputStream in, byte version) throws IOException {
        return new MeterState(counter(in), counter(in));
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
    }

    private static WindowAggregate readWindow(DataInputStream in, byte version) throws IOException {
        WindowAggregate w = new WindowAggregate(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble(), 0, 0);
        return version >= V2 ? new WindowAggregate(w.count(), w.powerMin(), w.powerMax(), w.powerSum(), w.voltageSum(),
                w.currentSum(), w.energyWh(), in.readDouble(), in.readDouble()) : w;
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
