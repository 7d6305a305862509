package io.wattstream.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wattstream.model.Json;
import io.wattstream.model.NotifyChannel;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotifyChannelTest {

    private static final String SECRET = "s3cret-hmac-key-0123456789";
    private static final String PASSWORD = "smtp-pa55word";
    private static final String SLACK = "https://hooks.slack.test/services/T000/B000/XXXXSECRETPATH";

    private final NotifyChannel webhook = new NotifyChannel("hook", NotifyChannel.Type.WEBHOOK, "https://example.test/hook", SECRET, null, null);
    private final NotifyChannel mail = new NotifyChannel("mail", NotifyChannel.Type.EMAIL, null, null,
            new NotifyChannel.Email("smtp.example.test", null, null, "ops", PASSWORD, "wattstream@example.test", List.of("ops@example.test")), null);
    private final NotifyChannel slack = new NotifyChannel("slack", NotifyChannel.Type.SLACK, SLACK, null, null, null);

    @Test
    void toStringMasksEverySecret() {
        assertThat(webhook.toString()).doesNotContain(SECRET).contains("secret=***");
        assertThat(mail.toString()).doesNotContain(PASSWORD).contains("password=***");
        assertThat(slack.toString()).doesNotContain("XXXXSECRETPATH");
        assertThat(NotifyEntry.of(mail).toString()).doesNotContain(PASSWORD);
    }

    @Test
    void redactedViewSerializesWithoutSecrets() throws Exception {
        for (NotifyChannel c : List.of(webhook, mail, slack)) {
            String json = Json.MAPPER.writeValueAsString(c.redacted());
            assertThat(json).doesNotContain(SECRET).doesNotContain(PASSWORD).doesNotContain("XXXXSECRETPATH");
        }
        assertThat(webhook.hasSecret()).isTrue();
        assertThat(webhook.redacted().hasSecret()).isFalse();
    }

    @Test
    void updateWithoutSecretKeepsTheStoredOne() {
        NotifyChannel update = new NotifyChannel("hook", NotifyChannel.Type.WEBHOOK, "https://example.test/new", null, null, null);
        NotifyChannel merged = update.withSecretsFrom(webhook);
        assertThat(merged.secret()).isEqualTo(SECRET);
        assertThat(merged.url()).isEqualTo("https://example.test/new");
        NotifyChannel mailUpdate = new NotifyChannel("mail", NotifyChannel.Type.EMAIL, null, null,
                new NotifyChannel.Email("smtp2.example.test", 2525, NotifyChannel.Security.NONE, "ops", null,
                        "wattstream@example.test", List.of("ops@example.test")), null);
        assertThat(mailUpdate.withSecretsFrom(mail).email().password()).isEqualTo(PASSWORD);
    }

    @Test
    void channelRoundTripsThroughTheTopicWithItsSecret() {
        NotifyEntry back = Topics.NOTIFY_CHANNELS.valueSerde().deserializer().deserialize("t",
                Topics.NOTIFY_CHANNELS.valueSerde().serializer().serialize("t", NotifyEntry.of(mail)));
        assertThat(back.channel()).isEqualTo(mail);
        assertThat(NotifyEntry.of(mail).key()).isEqualTo("channel:mail");
    }

    @Test
    void rejectsWebhookWithoutAStrongEnoughSecret() {
        assertThatThrownBy(() -> new NotifyChannel("h", NotifyChannel.Type.WEBHOOK, "https://x.test", "short", null, null).validate())
                .hasMessageContaining("secret of at least 16");
        assertThatThrownBy(() -> new NotifyChannel("h", NotifyChannel.Type.NTFY, "ftp://x.test", null, null, null).validate())
                .hasMessageContaining("http or https");
    }
}
