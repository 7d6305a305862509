package io.wattstream.kit.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionsTest {

    /** A clock the test moves. */
    static final class Manual extends Clock {
        Instant now = Instant.parse("2026-11-20T09:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final Manual clock = new Manual();
    final Sessions sessions = new Sessions(Duration.ofHours(12), clock);
    final Principal alice = new Principal("alice", Role.ADMIN);

    @Test
    void aSessionIsFoundByItsIdUntilItExpires() {
        Sessions.Opened opened = sessions.open(alice);
        assertThat(opened.id()).matches("[A-Za-z0-9_-]{43}");
        assertThat(sessions.find(opened.id())).map(Sessions.Session::principal).contains(alice);
        clock.now = clock.now.plus(Duration.ofHours(12)).minusSeconds(1);
        assertThat(sessions.find(opened.id())).isPresent();
        clock.now = clock.now.plusSeconds(1);
        assertThat(sessions.find(opened.id())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void closedAndUnknownIdsFindNothing() {
        Sessions.Opened opened = sessions.open(alice);
        assertThat(sessions.find(opened.id() + "x")).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        sessions.close(opened.id());
        assertThat(sessions.find(opened.id())).isEmpty();
    }

    @Test
    void eachSessionHasItsOwnCsrfTokenThatMatchesOnlyExactly() {
        Sessions.Session a = sessions.open(alice).session();
        Sessions.Session b = sessions.open(alice).session();
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).hasSize(43);
        assertThat(Sessions.csrfMatches(a, a.csrfToken())).isTrue();
        assertThat(Sessions.csrfMatches(a, b.csrfToken())).isFalse();
        assertThat(Sessions.csrfMatches(a, null)).isFalse();
        assertThat(Sessions.csrfMatches(a, a.csrfToken().substring(1))).isFalse();
    }

    @Test
    void theOldestSessionsGoWhenTooManyAreOpen() {
        Sessions.Opened first = sessions.open(alice);
        for (int i = 1; i < Sessions.MAX_SESSIONS + 5; i++) {
            clock.now = clock.now.plusMillis(1);
            sessions.open(alice);
        }
        assertThat(sessions.size()).isLessThanOrEqualTo(Sessions.MAX_SESSIONS);
        assertThat(sessions.find(first.id())).isEmpty();
    }
}
