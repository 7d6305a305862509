package io.wattstream.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * How Wattstream counts money: {@link BigDecimal}, never binary floating point. A reading's cost is its
 * energy delta (Wh, kept to 6 decimals, {@link #ENERGY_SCALE}) times the price per kWh (at most 6
 * decimals) / 1000, computed exactly: at most {@value #COST_SCALE} decimals, so every sum of costs (an
 * aggregate, a day, a session) is exact as well. Rounding happens once, on a total shown or exported
 * to people: to the currency's minor unit (2 decimals for EUR), half up ({@link #rounded}). A part
 * (a session's zone) is rounded on its own, so rounded parts may differ from the rounded total by a cent.
 */
public final class Money {

    /** Energy deltas are Wh to the µWh (see the counter rules). */
    public static final int ENERGY_SCALE = 6;
    public static final int PRICE_SCALE = 6;
    /** Decimals of an exact cost: energy scale + price scale + 3 (Wh to kWh). */
    public static final int COST_SCALE = ENERGY_SCALE + PRICE_SCALE + 3;

    /** The exact cost of {@code deltaWh} at {@code pricePerKwh}. */
    public static BigDecimal cost(double deltaWh, BigDecimal pricePerKwh) {
        BigDecimal wh = BigDecimal.valueOf(deltaWh).setScale(ENERGY_SCALE, RoundingMode.HALF_EVEN);
        return normal(wh.multiply(pricePerKwh).movePointLeft(3));
    }

    /** The sum; null stays null on both sides (no cost known). */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : normal(a.add(b));
    }

    /** A total for people: the currency's minor unit (2 decimals when the currency has none defined), half up. */
    public static BigDecimal rounded(BigDecimal cost, String currency) {
        if (cost == null) {
            return null;
        }
        return cost.setScale(minorDigits(currency), RoundingMode.HALF_UP);
    }

    static int minorDigits(String currency) {
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException | NullPointerException e) {
            return 2;
        }
    }

    /** Without trailing zeros, never in exponent form when written (the shared mapper writes plain numbers). */
    private static BigDecimal normal(BigDecimal v) {
        return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }

    private Money() {
    }
}
