package io.wattstream.streams.processors;

import io.wattstream.model.ChargingSession;
import io.wattstream.model.ChargingSession.State;
import io.wattstream.model.Reading;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.TopologySettings.SessionRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charging sessions per meter, by event time, from each newest reading's corrected energy delta and cost.
 *
 * <ul>
 *   <li>A session opens (OPENED) once power has stayed above the start level for the start time; its
 *       start is the first reading above the level, whose delta (the ramp since the reading before) counts.</li>
 *   <li>Power at or below the standby level begins a pause; that first reading's delta still counts (it
 *       covers the end of charging). Power back above standby before the end time makes the pause part of
 *       the session (one more pause, its readings count); a pause as long as the end time closes the
 *       session (CLOSED, {@code ended_at} = the pause's first reading) and its later readings count for
 *       nobody.</li>
 *   <li>A meter silent for the end time while charging closes its session with what is known
 *       ({@code offline}, {@code ended_at} = the last reading): live by a wall-clock check, in a replay
 *       (which has no wall clock) when the meter's next reading shows the gap. Either way the session's
 *       content is the same.</li>
 *   <li>While open, UPDATED is published at most every {@code update-every} of event time.</li>
 *   <li>A late (out-of-order) reading changes nothing: its energy is already in the later reading's delta.
 *       A counter reset inside a session needs nothing special: its delta counts from zero.</li>
 * </ul>
 * The state is in a changelog-backed store, so a restart or a task move goes on with the same session.
 */
public final class SessionProcessor implements Processor<String, Measured, String, ChargingSession> {

    private static final Logger LOG = LoggerFactory.getLogger(SessionProcessor.class);
    static final Duration CHECK_EVERY = Duration.ofSeconds(10);

    private final SessionRules defaults;
    private final boolean wallClockChecks;
    private ProcessorContext<String, ChargingSession> context;
    private KeyValueStore<String, SessionState> store;

    /** @param wallClockChecks false in a replay: silence is then seen from the meter's next reading */
    public SessionProcessor(SessionRules defaults, boolean wallClockChecks) {
        this.defaults = defaults;
        this.wallClockChecks = wallClockChecks;
    }

    @Override
    public void init(ProcessorContext<String, ChargingSession> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.SESSION_STATE);
        if (wallClockChecks) {
            context.schedule(CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::closeSilent);
        }
    }

    @Override
    public void process(Record<String, Measured> record) {
        Measured m = record.value();
        if (!m.newest()) {
            return;
        }
        String device = record.key();
        Reading r = m.reading();
        SessionRules rules = defaults.forDevice(m.device());
        Instant t = r.timestamp();
        SessionState s = store.get(device);
        boolean stored = s != null;
        List<ChargingSession> out = new ArrayList<>(2);
        if (s != null && !t.isBefore(s.lastReadingAt().plus(rules.endAfter()))) {
            if (s.open()) {
                out.add(close(device, s)); // silent (or paused) for the end time: over before this reading
            }
            s = null;
        } else if (s != null && s.open() && s.pauseStart() != null && !t.isBefore(s.deadline())) {
            out.add(close(device, s));
            s = null;
        }
        s = s == null || !s.open() ? idle(device, s, r, rules, out) : running(device, s, r, rules, out);
        if (s == null) {
            if (stored) {
                store.delete(device);
            }
        } else {
            store.put(device, withSeen(s, rules));
        }
        for (ChargingSession c : out) {
            context.forward(record.withValue(c));
        }
    }

    /** No open session: a reading above the start level begins (or continues) one in the making. */
    private SessionState idle(String device, SessionState s, Reading r, SessionRules rules, List<ChargingSession> out) {
        if (r.power() <= rules.startW()) {
            return null;
        }
        SessionState next = s == null
                ? new SessionState(false, r.timestamp(), SessionTotals.EMPTY.add(r), null, SessionTotals.EMPTY, 0,
                r.timestamp(), null, 0, rules.endAfter(), r.deviceName(), r.site())
                : new SessionState(false, s.startedAt(), s.session().add(r), null, SessionTotals.EMPTY, 0, r.timestamp(),
                null, 0, rules.endAfter(), r.deviceName(), r.site());
        if (Duration.between(next.startedAt(), r.timestamp()).compareTo(rules.startAfter()) >= 0) {
            next = new SessionState(true, next.startedAt(), next.session(), null, SessionTotals.EMPTY, 0, r.timestamp(),
                    r.timestamp(), 0, rules.endAfter(), r.deviceName(), r.site());
            ChargingSession opened = next.view(device, State.OPENED, null, false);
            LOG.info("Charging session {} of {} opened at {}", opened.sessionId(), device, opened.startedAt());
            out.add(opened);
        }
        return next;
    }

    /** An open session: charging, pausing, or coming back from a pause. */
    private SessionState running(String device, SessionState s, Reading r, SessionRules rules, List<ChargingSession> out) {
        boolean low = r.power() <= rules.standbyW();
        SessionTotals session = s.session();
        SessionTotals tail = s.tail();
        Instant pauseStart = s.pauseStart();
        int pauses = s.pauses();
        if (pauseStart == null) {
            session = session.add(r);
            if (low) {
                pauseStart = r.timestamp();
            }
        } else if (low) {
            tail = tail.add(r);
        } else {
            session = session.plus(tail).add(r);
            tail = SessionTotals.EMPTY;
            pauseStart = null;
            pauses++;
        }
        Instant emitted = s.lastEmittedAt();
        boolean update = Duration.between(emitted, r.timestamp()).compareTo(rules.updateEvery()) >= 0;
        SessionState next = new SessionState(true, s.startedAt(), session, pauseStart, tail, pauses, r.timestamp(),
                update ? r.timestamp() : emitted, 0, rules.endAfter(), r.deviceName(), r.site());
        if (update) {
            out.add(next.view(device, State.UPDATED, null, false));
        }
        return next;
    }

    private ChargingSession close(String device, SessionState s) {
        boolean paused = s.pauseStart() != null;
        ChargingSession c = s.view(device, State.CLOSED, paused ? s.pauseStart() : s.lastReadingAt(), !paused);
        LOG.info("Charging session {} of {} closed{}: {} Wh from {} to {}", c.sessionId(), device,
                paused ? "" : " (meter offline)", c.energyWh(), c.startedAt(), c.endedAt());
        return c;
    }

    private SessionState withSeen(SessionState s, SessionRules rules) {
        return new SessionState(s.open(), s.startedAt(), s.session(), s.pauseStart(), s.tail(), s.pauses(),
                s.lastReadingAt(), s.lastEmittedAt(), context.currentSystemTimeMs(), rules.endAfter(), s.deviceName(),
                s.site());
    }

    /** Live only: closes the sessions of meters that have been silent (or paused) for their end time. */
    private void closeSilent(long wallClockMs) {
        List<KeyValue<String, SessionState>> due = new ArrayList<>();
        try (KeyValueIterator<String, SessionState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, SessionState> kv = it.next();
                SessionState s = kv.value;
                long deadline = s.open() ? s.wallDeadlineMs() : s.lastSeenWallMs() + s.endAfter().toMillis();
                if (wallClockMs >= deadline) {
                    due.add(kv);
                }
            }
        }
        for (KeyValue<String, SessionState> kv : due) {
            store.delete(kv.key);
            if (kv.value.open()) {
                context.forward(new Record<>(kv.key, close(kv.key, kv.value), wallClockMs));
            }
        }
    }
}
