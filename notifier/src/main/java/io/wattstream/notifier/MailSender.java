package io.wattstream.notifier;

import io.wattstream.model.NotifyChannel;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * E-mail over SMTP with Angus Mail. The Message-ID is derived from the idempotency key, so a mail
 * sent twice (a redelivery) is one message to mail clients that deduplicate. An SMTP 5xx reply is a
 * refusal; 4xx replies, authentication failures (a password can be fixed meanwhile) and network
 * errors are retried.
 */
final class MailSender implements Sender {

    static final String IDEMPOTENCY_HEADER = "X-Wattstream-Idempotency-Key";

    private final Duration timeout;

    MailSender(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Attempt send(NotifyChannel channel, Transition t, Instant sentAt) {
        NotifyChannel.Email mail = channel.email();
        Session session = Session.getInstance(properties(mail));
        try {
            MimeMessage message = new KeyedMessage(session, t.idempotencyKey() + "." + channel.id() + "@wattstream");
            message.setFrom(new InternetAddress(mail.from(), true));
            for (String to : mail.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            }
            message.setSubject("[Wattstream] " + AlertText.title(t), StandardCharsets.UTF_8.name());
            message.setText(AlertText.body(t), StandardCharsets.UTF_8.name());
            message.setHeader(IDEMPOTENCY_HEADER, t.idempotencyKey());
            message.setSentDate(Date.from(sentAt));
            String protocol = mail.securityOrDefault() == NotifyChannel.Security.TLS ? "smtps" : "smtp";
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(mail.host(), mail.portOrDefault(), mail.username(), mail.password());
                transport.sendMessage(message, message.getAllRecipients());
            }
            return Attempt.delivered(250);
        } catch (AddressException e) {
            return Attempt.refused(null, "bad address: " + e.getMessage());
        } catch (AuthenticationFailedException e) {
            return Attempt.retry(535, "SMTP authentication failed", null);
        } catch (MessagingException e) {
            return classify(e);
        }
    }

    private static Attempt classify(MessagingException e) {
        Integer code = replyCode(e);
        String detail = "SMTP " + (code == null ? "" : code + " ") + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().strip());
        if (code != null && code >= 500) {
            return Attempt.refused(code, detail);
        }
        return Attempt.retry(code, detail, null);
    }

    /** The SMTP reply code in the exception or the first one it chains to. */
    private static Integer replyCode(MessagingException e) {
        Exception x = e;
        while (x != null) {
            if (x instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (x instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
            x = x instanceof MessagingException m ? m.getNextException() : null;
        }
        return null;
    }

    private Properties properties(NotifyChannel.Email mail) {
        String p = mail.securityOrDefault() == NotifyChannel.Security.TLS ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        String ms = Long.toString(timeout.toMillis());
        props.put(p + "connectiontimeout", ms);
        props.put(p + "timeout", ms);
        props.put(p + "writetimeout", ms);
        props.put(p + "auth", Boolean.toString(mail.username() != null));
        if (mail.securityOrDefault() == NotifyChannel.Security.STARTTLS) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        if (mail.securityOrDefault() != NotifyChannel.Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
        }
        return props;
    }

    /** A message whose Message-ID is fixed by the transition instead of generated per send. */
    private static final class KeyedMessage extends MimeMessage {
        private final String id;

        KeyedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + id + ">");
        }
    }
}
