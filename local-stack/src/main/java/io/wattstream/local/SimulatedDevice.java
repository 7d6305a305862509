package io.wattstream.local;

import java.util.Random;

/**
 * The electrical behaviour of one simulated Shelly Pro 1PM, advanced one tick at a time; no I/O.
 *
 * <p>Profiles: a charger that runs charging sessions as cars do: idle, a ramp to about 3.7 kW, a plateau
 * with noise and now and then a spike above its threshold, a short pause (load balancing), the plateau
 * again, a taper as the battery fills, and idle long enough for the session to close; a household load
 * that wanders around a few hundred watts. Every device's energy counter integrates its power; one
 * device resets its counter once (a reboot), and one goes quiet for a while (the offline alert).
 */
final class SimulatedDevice {

    enum Profile { CHARGER, LOAD }

    /** One reading's values. */
    record Sample(double power, double voltage, double current, double energyWh, double freq, double pf,
                  double temperatureC, boolean output) {
    }

    static final double CHARGER_PEAK_W = 3700;
    static final double SPIKE_W = 4300;
    /** One charging cycle in ticks, and where its phases begin. */
    static final long CYCLE = 360;
    static final long RAMP = 15;
    static final long PLATEAU = 30;
    static final long PAUSE = 120;
    static final long RESUME = 135;
    static final long TAPER = 210;
    static final long IDLE = 255;

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

    /** One cycle: idle, ramp, plateau (with a rare spike), pause, plateau, taper, idle (the session closes). */
    private double chargerPower() {
        long phase = tick % CYCLE;
        if (phase < RAMP || phase >= IDLE) {
            return 3 + random.nextDouble();
        }
        if (phase < PLATEAU) {
            return CHARGER_PEAK_W * (phase - RAMP + 1) / (PLATEAU - RAMP);
        }
        if (phase >= PAUSE && phase < RESUME) {
            return 5 + random.nextDouble(); // the car pauses (balancing, pre-conditioning)
        }
        if (phase >= TAPER) {
            // Constant voltage at the end of a charge: the current falls off as the battery fills.
            return CHARGER_PEAK_W * Math.exp(-3.0 * (phase - TAPER) / (IDLE - TAPER)) + random.nextGaussian() * 10;
        }
        boolean spike = random.nextInt(60) == 0;
        return spike ? SPIKE_W + random.nextGaussian() * 50 : CHARGER_PEAK_W + random.nextGaussian() * 25;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
