package io.wattstream.local;

import java.util.Random;

/**
 * The electrical behaviour of one simulated Shelly Pro 1PM, advanced one tick at a time; no I/O.
 *
 * <p>Profiles: a charger that idles, ramps to about 3.7 kW, holds with noise and now and then spikes
 * above its threshold; a household load that wanders around a few hundred watts. Every device's
 * energy counter integrates its power; one device resets its counter once (a reboot), and one goes
 * quiet for a while (the offline alert).
 */
final class SimulatedDevice {

    enum Profile { CHARGER, LOAD }

    /** One reading's values. */
    record Sample(double power, double voltage, double current, double energyWh, double freq, double pf,
                  double temperatureC, boolean output) {
    }

    static final double CHARGER_PEAK_W = 3700;
    static final double SPIKE_W = 4300;

    private final String id;
    private final Profile profile;
    private final Random random;
    private final double tickSeconds;
    private final long resetAtTick;
    private final long quietFrom;
    private final long quietUntil;
    private long tick;
    private double energyWh;
    private double temperature = 32;

    SimulatedDevice(String id, Profile profile, long seed, double tickSeconds, long resetAtTick, long quietFrom,
                    long quietUntil) {
        this.id = id;
        this.profile = profile;
        this.random = new Random(seed);
        this.tickSeconds = tickSeconds;
        this.resetAtTick = resetAtTick;
        this.quietFrom = quietFrom;
        this.quietUntil = quietUntil;
        this.energyWh = 1000 + random.nextInt(150_000);
    }

    String id() {
        return id;
    }

    /** Whether the device sends at the current tick (false while it is "offline"). */
    boolean reporting() {
        return tick < quietFrom || tick >= quietUntil;
    }

    /** Advances one tick and returns what the meter reads then. */
    Sample next() {
        tick++;
        double power = switch (profile) {
            case CHARGER -> chargerPower();
            case LOAD -> Math.max(0, 250 + 150 * Math.sin(tick / 15.0) + random.nextGaussian() * 20);
        };
        double voltage = 230 + random.nextGaussian() * 1.5;
        double pf = power < 50 ? 0.6 : 0.99;
        double current = power / (voltage * pf);
        if (tick == resetAtTick) {
            energyWh = 0; // a reboot or user reset: the counter starts again
        }
        energyWh += power * tickSeconds / 3600;
        temperature += (30 + power / 200 - temperature) * 0.05;
        return new Sample(round(power, 1), round(voltage, 1), round(current, 3), round(energyWh, 3),
                round(50 + random.nextGaussian() * 0.02, 2), pf, round(temperature, 1), power > 1);
    }

    /** Idle, a 30-tick ramp, a long session at ~3.7 kW with an occasional spike, then idle again. */
    private double chargerPower() {
        long phase = tick % 400;
        if (phase < 20) {
            return 3 + random.nextDouble();
        }
        if (phase < 50) {
            return CHARGER_PEAK_W * (phase - 20) / 30.0;
        }
        if (phase < 350) {
            boolean spike = random.nextInt(60) == 0;
            return spike ? SPIKE_W + random.nextGaussian() * 50 : CHARGER_PEAK_W + random.nextGaussian() * 25;
        }
        return 3 + random.nextDouble();
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
