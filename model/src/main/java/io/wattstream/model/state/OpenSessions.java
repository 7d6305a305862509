package io.wattstream.model.state;

import io.wattstream.model.ChargingSession;
import java.util.List;

/** The {@code /state/sessions} answer: every open charging session of every instance, sorted by device. */
public record OpenSessions(List<ChargingSession> sessions) {
}
