package io.wattstream.kit.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

    static final String ADMIN = ApiTokens.generate();
    static final String VIEWER = ApiTokens.generate();

    @Test
    void generatedTokensCarry256RandomBitsAndAreAllDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = ApiTokens.generate();
            assertThat(t).startsWith(ApiTokens.PREFIX).matches("wst_[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(t.substring(4))).hasSize(32);
            assertThat(seen.add(t)).isTrue();
        }
    }

    @Test
    void digestIsTheSha256OfTheTokensBytesInLowerCaseHex() {
        // The SHA-256 test vector of "abc" (FIPS 180-2).
        assertThat(ApiTokens.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiTokens.sha256Hex(ADMIN)).hasSize(64).doesNotContain(ADMIN.substring(4, 12));
    }

    @Test
    void authenticatesThePlainAdminTokenAndHashedEntriesWithTheirRoles() {
        ApiTokens tokens = ApiTokens.of(ADMIN, "wall:viewer:" + ApiTokens.sha256Hex(VIEWER) + ", ops:ADMIN:"
                + ApiTokens.sha256Hex("an-operator-token-of-enough-length").toUpperCase());
        assertThat(tokens.authenticate(ADMIN)).contains(new Principal("admin", Role.ADMIN));
        assertThat(tokens.authenticate(VIEWER)).contains(new Principal("wall", Role.VIEWER));
        assertThat(tokens.authenticate("an-operator-token-of-enough-length")).contains(new Principal("ops", Role.ADMIN));
        assertThat(tokens.hasAdmin()).isTrue();
        assertThat(tokens.size()).isEqualTo(3);
    }

    @Test
    void refusesAnUnknownAnEmptyOrANearlyRightToken() {
        ApiTokens tokens = ApiTokens.of(ADMIN, "");
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(VIEWER)).isEmpty();
        assertThat(tokens.authenticate(ADMIN.substring(0, ADMIN.length() - 1))).isEmpty();
        assertThat(tokens.authenticate(ADMIN + "x")).isEmpty();
        // The digest is what is stored: presenting it instead of the token does not pass.
        assertThat(tokens.authenticate(ApiTokens.sha256Hex(ADMIN))).isEmpty();
    }

    @Test
    void viewerEntriesAloneHaveNoAdmin() {
        assertThat(ApiTokens.of("", "wall:viewer:" + ApiTokens.sha256Hex(VIEWER)).hasAdmin()).isFalse();
        assertThat(ApiTokens.of(null, null).size()).isZero();
    }

    @Test
    void refusesAShortAdminTokenWithoutQuotingIt() {
        assertThatThrownBy(() -> ApiTokens.of("short-secret-123", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 characters")
                .message().doesNotContain("short-secret-123");
    }

    @Test
    void malformedEntriesAreNamedByPositionNeverQuoted() {
        String digest = ApiTokens.sha256Hex(VIEWER);
        assertThatThrownBy(() -> ApiTokens.of("", "a:viewer:" + digest + ",secret-looking-entry"))
                .hasMessageContaining("token entry #2").message().doesNotContain("secret-looking-entry");
        assertThatThrownBy(() -> ApiTokens.of("", "a:root:" + digest)).hasMessageContaining("#1").hasMessageContaining("viewer or admin");
        assertThatThrownBy(() -> ApiTokens.of("", "a:viewer:" + VIEWER)).hasMessageContaining("64 hex digits")
                .message().doesNotContain(VIEWER);
        assertThatThrownBy(() -> ApiTokens.of("", "a:viewer:" + digest + ",a:admin:" + digest)).hasMessageContaining("twice");
        assertThatThrownBy(() -> ApiTokens.of("", "a b:viewer:" + digest)).hasMessageContaining("name:role:sha256-hex");
    }

    @Test
    void toStringShowsNamesAndRolesOnly() {
        ApiTokens tokens = ApiTokens.of(ADMIN, "wall:viewer:" + ApiTokens.sha256Hex(VIEWER));
        assertThat(tokens.toString()).isEqualTo("ApiTokens[[admin:admin, wall:viewer]]")
                .doesNotContain(ApiTokens.sha256Hex(VIEWER)).doesNotContain(ApiTokens.sha256Hex(ADMIN));
    }

    @Test
    void anAdminMayDoWhatAViewerMayButNotTheOtherWayRound() {
        assertThat(Role.ADMIN.allows(Role.VIEWER)).isTrue();
        assertThat(Role.ADMIN.allows(Role.ADMIN)).isTrue();
        assertThat(Role.VIEWER.allows(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.allows(Role.ADMIN)).isFalse();
    }
}
