package io.wattstream.model.state;

/**
 * The alert rules the stream processor applies, as {@code GET /state/rules} answers them: the one
 * source the query API and the dashboard show thresholds from. A device registered with its own
 * {@code threshold_w} is judged by that one instead of the default.
 *
 * @param defaultThresholdW power threshold in W for devices without their own
 * @param hysteresis        a raised power alert clears below threshold x (1 - hysteresis)
 */
public record AlertRules(double defaultThresholdW, double hysteresis) {

    /** The power below which a raised alert on {@code thresholdW} clears. */
    public double clearBelowW(double thresholdW) {
        return thresholdW * (1 - hysteresis);
    }
}
