package io.wattstream.query.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Money;
import java.math.BigDecimal;

/**
 * A charging session as the API returns it: every field of the session (as on {@code shelly.sessions}),
 * the cost rounded for billing, and whether it is the stream processor's live view.
 *
 * @param costRounded the exact cost in the currency's minor unit, half up; null when the cost is unknown
 * @param live        true when taken from the stream processor's state (an open session, current to its
 *                    last reading), false when read from {@code charging_session}
 */
public record SessionRow(@JsonUnwrapped ChargingSession session, BigDecimal costRounded, boolean live) {

    static SessionRow of(ChargingSession s, boolean live) {
        return new SessionRow(s, Money.rounded(s.cost(), s.currency()), live);
    }
}
