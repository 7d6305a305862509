package io.wattstream.gateway;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {

    private final DeviceTokens tokens = DeviceTokens.parse("meter-1:s3cret, shelly:pro:1pm:t0ken");

    @Test
    void letsEverythingThroughWhenNoTokensAreConfigured() {
        assertThatCode(() -> DeviceTokens.parse(" ").authorize(List.of("any"), Optional.empty())).doesNotThrowAnyException();
    }

    @Test
    void acceptsTheDevicesOwnToken() {
        assertThatCode(() -> tokens.authorize(List.of("meter-1"), Optional.of("s3cret"))).doesNotThrowAnyException();
        assertThatCode(() -> tokens.authorize(List.of("shelly:pro:1pm"), Optional.of("t0ken"))).doesNotThrowAnyException();
    }

    @Test
    void theChannelsOfAMultiChannelDevicePresentItsToken() {
        assertThatCode(() -> tokens.authorize(List.of("meter-1", "meter-1:1", "meter-1:3"), Optional.of("s3cret")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> tokens.authorize(List.of("meter-1:2"), Optional.of("t0ken")))
                .isInstanceOf(Rejection.class).hasMessage(DeviceTokens.DENIED);
        assertThatThrownBy(() -> tokens.authorize(List.of("meter-1:x"), Optional.of("s3cret")))
                .isInstanceOf(Rejection.class).hasMessage(DeviceTokens.DENIED);
    }

    @Test
    void answersAWrongTokenAndAnUnknownDeviceWithTheSameMessage() {
        assertThatThrownBy(() -> tokens.authorize(List.of("meter-1"), Optional.of("wrong")))
                .isInstanceOf(Rejection.class).hasMessage(DeviceTokens.DENIED);
        assertThatThrownBy(() -> tokens.authorize(List.of("nobody"), Optional.of("s3cret")))
                .isInstanceOf(Rejection.class).hasMessage(DeviceTokens.DENIED);
        assertThatThrownBy(() -> tokens.authorize(List.of("meter-1"), Optional.empty()))
                .isInstanceOf(Rejection.class).hasMessage(DeviceTokens.DENIED);
    }

    @Test
    void requiresTheTokenToFitEveryDeviceOfABatch() {
        assertThatThrownBy(() -> tokens.authorize(List.of("meter-1", "shelly:pro:1pm"), Optional.of("s3cret")))
                .isInstanceOf(Rejection.class);
    }

    @Test
    void rejectsAMalformedSpecWithoutEchoingTheSecret() {
        assertThatThrownBy(() -> DeviceTokens.parse("meter-1:ok,justasecret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2")
                .hasMessageNotContaining("justasecret");
    }
}
