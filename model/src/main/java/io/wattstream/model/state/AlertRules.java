package io.wattstream.model.state;

/**
 * The alert rules the stream processor applies, as {@code GET /state/rules} answers them: the one
 * source the query API and the dashboard show thresholds from. A device registered with its own
 * {@code threshold_w} is judged by that one instead of the default.
 *
 * @param defaultThresholdW power threshold in W for devices without their own
 * @param hysteresis        a raised power alert clears below threshold x (1 - hysteresis)
 * @param offlineAfterS     seconds without a reading after which a device is reported offline
 */
public record AlertRules(double defaultThresholdW, double hysteresis, double offlineAfterS) {

    /** The power below which a raised alert on {@code thresholdW} clears. */
    public double clearBelowW(double thresholdW) {
        return thresholdW * (1 - hysteresis);
    }

    /**
     * Seconds after which a device's newest reading is shown as stale rather than as a live value: half
     * the offline time, so a silent device reads as stale well before its offline alert fires.
     */
    public double staleAfterS() {
        return offlineAfterS / 2;
    }
}
