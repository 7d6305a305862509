package io.wattstream.model;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A notification channel on the compacted {@code shelly.notify-channels} topic (key
 * {@code channel:<id>}, see {@link NotifyEntry}).
 *
 * <p>Secrets are write-only: {@code secret}, {@code email.password} and a Slack webhook URL (whose
 * path is its credential) are read by the notifier from the topic but never returned by an API
 * (serve {@link #redacted()}) and never logged ({@link #toString()} masks them).
 *
 * @param type    how transitions are sent
 * @param url     target for {@code WEBHOOK}, {@code NTFY} (the topic URL) and {@code SLACK}
 * @param secret  {@code WEBHOOK}: the HMAC-SHA256 key of {@code X-Wattstream-Signature};
 *                {@code NTFY}: an access token sent as {@code Authorization: Bearer}
 * @param email   SMTP settings for {@code EMAIL}
 * @param enabled false keeps the channel configured but sends nothing (null means true)
 */
public record NotifyChannel(String id, Type type, String url, String secret, Email email, Boolean enabled) {

    /** Channel formats. */
    public enum Type { WEBHOOK, NTFY, SLACK, EMAIL }

    /** Connection security towards the SMTP server. */
    public enum Security { NONE, STARTTLS, TLS }

    static final String MASK = "***";

    /**
     * SMTP settings of an {@code EMAIL} channel.
     *
     * @param port     null: 587 with STARTTLS, 465 with TLS, 25 without
     * @param security null means STARTTLS
     */
    public record Email(String host, Integer port, Security security, String username, String password,
                        String from, List<String> to) {

        public Security securityOrDefault() {
            return security == null ? Security.STARTTLS : security;
        }

        public int portOrDefault() {
            if (port != null) {
                return port;
            }
            return switch (securityOrDefault()) {
                case NONE -> 25;
                case STARTTLS -> 587;
                case TLS -> 465;
            };
        }

        Email redacted() {
            return new Email(host, port, security, username, null, from, to);
        }

        @Override
        public String toString() {
            return "Email[host=" + host + ", port=" + port + ", security=" + security + ", username=" + username
                    + ", password=" + (password == null ? null : MASK) + ", from=" + from + ", to=" + to + "]";
        }
    }

    /** Whether it is in use: {@code enabled} true or not set. */
    public boolean active() {
        return enabled == null || enabled;
    }

    /** Whether a secret (HMAC key, token or SMTP password) is configured, for views that hide it. */
    public boolean hasSecret() {
        return secret != null || (email != null && email.password() != null);
    }

    /** The channel as an API may show it: no secret, no SMTP password, a Slack URL without its path. */
    public NotifyChannel redacted() {
        return new NotifyChannel(id, type, type == Type.SLACK ? maskPath(url) : url, null,
                email == null ? null : email.redacted(), enabled);
    }

    /**
     * This channel with each secret it leaves out taken from the stored one, so an update that does
     * not repeat a write-only secret keeps it.
     */
    public NotifyChannel withSecretsFrom(NotifyChannel stored) {
        if (stored == null) {
            return this;
        }
        String keptUrl = type == Type.SLACK && (url == null || url.isBlank()) ? stored.url() : url;
        Email keptEmail = email;
        if (email != null && email.password() == null && stored.email() != null) {
            keptEmail = new Email(email.host(), email.port(), email.security(), email.username(),
                    stored.email().password(), email.from(), email.to());
        }
        return new NotifyChannel(id, type, keptUrl, secret == null ? stored.secret() : secret, keptEmail, enabled);
    }

    /** Checks the fields its type needs; the message names the first problem. */
    public NotifyChannel validate() {
        require(id != null && !id.isBlank() && id.length() <= 100, "channel id is required (at most 100 characters)");
        require(type != null, "channel type is required: one of WEBHOOK, NTFY, SLACK, EMAIL");
        if (type == Type.EMAIL) {
            require(email != null, "an EMAIL channel needs email settings");
            require(email.host() != null && !email.host().isBlank(), "email.host is required");
            require(email.from() != null && email.from().contains("@"), "email.from must be an address");
            require(email.to() != null && !email.to().isEmpty() && email.to().stream().allMatch(a -> a != null && a.contains("@")),
                    "email.to must list at least one address");
            require(email.port() == null || (email.port() > 0 && email.port() < 65536), "email.port must be 1..65535");
        } else {
            require(url != null && !url.isBlank(), "url is required for a " + type + " channel");
            String scheme;
            try {
                scheme = URI.create(url).getScheme();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url is not a valid URI");
            }
            require(scheme != null && (scheme.toLowerCase(Locale.ROOT).equals("http") || scheme.toLowerCase(Locale.ROOT).equals("https")),
                    "url must be http or https");
        }
        if (type == Type.WEBHOOK) {
            require(secret != null && secret.length() >= 16, "a WEBHOOK channel needs a secret of at least 16 characters");
        }
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String maskPath(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority() + "/" + MASK;
        } catch (IllegalArgumentException e) {
            return MASK;
        }
    }

    @Override
    public String toString() {
        return "NotifyChannel[id=" + id + ", type=" + type + ", url=" + (type == Type.SLACK ? maskPath(url) : url)
                + ", secret=" + (secret == null ? null : MASK) + ", email=" + email + ", enabled=" + enabled + "]";
    }
}
