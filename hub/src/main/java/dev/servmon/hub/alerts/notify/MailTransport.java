package dev.servmon.hub.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Date;
import java.util.Properties;

/**
 * Sends a delivery as plain-text e-mail over SMTP: STARTTLS required unless the notifier turns it
 * off, AUTH when a user name is set, timeouts on every step.
 */
public final class MailTransport implements dev.servmon.hub.alerts.notify.Transport {
    private static final String TIMEOUT_MS = "10000";

    private final ObjectMapper json;

    public MailTransport(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Result send(Notifier n, Delivery d) {
        var c = n.config();
        Properties p = new Properties();
        p.put("mail.smtp.host", c.path("host").asText());
        p.put("mail.smtp.port", Integer.toString(c.path("port").asInt(587)));
        boolean starttls = c.path("starttls").asBoolean(true);
        p.put("mail.smtp.starttls.enable", Boolean.toString(starttls));
        p.put("mail.smtp.starttls.required", Boolean.toString(starttls));
        if (c.hasNonNull("tlsTrust")) {
            // A relay with a self-signed certificate the operator chose to trust by name.
            p.put("mail.smtp.ssl.trust", c.get("tlsTrust").asText());
            p.put("mail.smtp.ssl.checkserveridentity", "false");
        } else {
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        boolean auth = c.hasNonNull("username");
        p.put("mail.smtp.auth", Boolean.toString(auth));
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MS);
        p.put("mail.smtp.timeout", TIMEOUT_MS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MS);
        try {
            JsonNode mail = json.readTree(d.payload());
            Session session = Session.getInstance(p);
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(c.path("from").asText(), true));
            m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(d.target(), true));
            m.setSubject(mail.path("subject").asText(), "UTF-8");
            m.setText(mail.path("text").asText(), "UTF-8");
            m.setSentDate(new Date());
            m.setHeader("X-Servmon-Event", d.event());
            if (auth) {
                Transport.send(m, c.path("username").asText(), c.path("password").asText(""));
            } else {
                Transport.send(m);
            }
            return Result.sent(250);
        } catch (MessagingException | IOException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = e.getMessage() + (root != e ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
            return Result.failed(null, "SMTP " + c.path("host").asText() + ":" + c.path("port").asInt(587) + ": " + why);
        }
    }
}
