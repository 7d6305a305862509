package io.wattstream.streams.processors;

import io.wattstream.streams.topology.TopologySettings.EnergyRules;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules that turn one cumulative energy counter (consumed or returned) into deltas. Pure: the
 * state goes in and comes out.
 *
 * <ul>
 *   <li>A rise the device's maximum power can deliver since the last accepted reading is counted.</li>
 *   <li>A decrease within the dip tolerance is rounding noise (a reboot that rounds 544.587493 to
 *       544.587): delta 0, and the baseline stays the highest value seen, so nothing is lost or
 *       counted twice when the counter catches up.</li>
 *   <li>A larger decrease is a reset (reboot with a cleared counter, user reset): the delta counts
 *       from zero.</li>
 *   <li>A rise (or a restart value) the maximum power cannot explain is an impossible jump: not
 *       counted, the baseline kept, and the value remembered as a suspect. The next reading that
 *       continues from the suspect instead of the baseline confirms it (a replaced meter, a counter set
 *       by hand): that reading counts from the suspect (and is a reset when the suspect lay below the
 *       baseline). A reading that continues from the baseline shows the jump was a glitch.</li>
 * </ul>
 */
public final class Counter {

    /**
     * One counter's state.
     *
     * @param baselineWh  highest accepted counter value
     * @param at          event time of the last accepted reading, from which the next rise is judged
     * @param suspectWh   an impossible value awaiting confirmation, or null
     * @param suspectAt   its event time
     */
    public record State(double baselineWh, Instant at, Double suspectWh, Instant suspectAt) {

        public static State first(double valueWh, Instant at) {
            return new State(valueWh, at, null, null);
        }
    }

    /** What one reading means for a counter. */
    public record Step(double deltaWh, boolean reset, boolean implausible, State next) {
    }

    private Counter() {
    }

    /** The reading {@code valueWh} at {@code t}, newer than {@code s.at()}. */
    public static Step step(State s, double valueWh, Instant t, double maxPowerW, EnergyRules rules) {
        double tolerance = rules.dipTolerance(s.baselineWh());
        double rise = valueWh - s.baselineWh();
        if (rise >= 0 && rise <= reachable(s.at(), t, maxPowerW, tolerance)) {
            return new Step(round(rise), false, false, State.first(valueWh, t));
        }
        if (rise < 0 && -rise <= tolerance) {
            return new Step(0, false, false, new State(s.baselineWh(), t, null, null));
        }
        if (s.suspectWh() != null) {
            double fromSuspect = valueWh - s.suspectWh();
            double suspectTolerance = rules.dipTolerance(s.suspectWh());
            if (fromSuspect >= -suspectTolerance
                    && fromSuspect <= reachable(s.suspectAt(), t, maxPowerW, suspectTolerance)) {
                boolean reset = s.suspectWh() < s.baselineWh() - tolerance;
                return new Step(round(Math.max(0, fromSuspect)), reset, false,
                        State.first(Math.max(valueWh, s.suspectWh()), t));
            }
        }
        if (rise < 0 && valueWh <= reachable(s.at(), t, maxPowerW, tolerance)) {
            return new Step(round(valueWh), true, false, State.first(valueWh, t));
        }
        return new Step(0, false, true, new State(s.baselineWh(), s.at(), valueWh, t));
    }

    /** The most energy the meter can have counted from {@code from} to {@code to}, plus the tolerance. */
    static double reachable(Instant from, Instant to, double maxPowerW, double toleranceWh) {
        // One second of slack: device times in whole seconds can make an interval look a second short.
        double seconds = Duration.between(from, to).toNanos() / 1e9 + 1;
        return maxPowerW * seconds / 3600 + toleranceWh;
    }

    /** Counters are decimal Wh; drop binary floating-point noise from the subtraction. */
    public static double round(double wh) {
        return Math.round(wh * 1e6) / 1e6;
    }
}
