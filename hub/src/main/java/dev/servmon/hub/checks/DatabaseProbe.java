package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.Probing;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Database checks: connect with the JDBC URL, run the query, UP when it runs (and, with
 * {@code expected}, when the first column of the first row reads so). The first column, when
 * numeric, is the result's value — {@code SELECT count(*) FROM queue} makes a chart.
 *
 * <p>The driver is chosen from the URL among the ones the hub ships (PostgreSQL, MariaDB for
 * MySQL and MariaDB, SQLite), never through {@code DriverManager}'s global state, and timeouts go
 * in each driver's own connection properties: {@code DriverManager.setLoginTimeout} would change
 * them for the hub's own database too. SQLite files are opened read-only, so a typo never creates
 * one; MariaDB may not read local files for the server ({@code LOAD DATA LOCAL}).
 */
final class DatabaseProbe implements Probe {

    @Override
    public Outcome run(Check check) {
        var s = check.settings();
        int timeout = check.timeoutSeconds();
        long start = System.nanoTime();
        try (Connection c = connect(s.jdbcUrl(), s.user(), s.password(), timeout); Statement st = c.createStatement()) {
            st.setQueryTimeout(timeout);
            st.setMaxRows(1);
            String first = null;
            Double value = null;
            boolean rows = st.execute(s.query());
            if (rows) {
                try (ResultSet rs = st.getResultSet()) {
                    if (rs.next()) {
                        first = rs.getString(1);
                        value = number(first);
                    }
                }
            }
            double ms = Probing.msSince(start);
            if (s.expected() != null && !s.expected().equals(first)) {
                return Outcome.down(ms, "query answered " + quote(first) + ", expected " + quote(s.expected())).withValue(value);
            }
            return Outcome.up(ms, value, first == null ? "query ran" : "query answered " + quote(first));
        } catch (SQLTimeoutException e) {
            return Outcome.down(Probing.msSince(start), "no answer within " + timeout + " s: " + Probing.rootMessage(e));
        } catch (SQLException e) {
            return Outcome.down(Probing.msSince(start), (e.getSQLState() == null ? "" : "SQLSTATE " + e.getSQLState() + ": ")
                    + Probing.rootMessage(e));
        } catch (RuntimeException e) {
            return Outcome.down(Probing.msSince(start), "database check failed: " + Probing.rootMessage(e));
        }
    }

    private static Connection connect(String url, String user, String password, int timeoutSeconds) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        Driver driver;
        if (url.startsWith("jdbc:postgresql:")) {
            driver = new org.postgresql.Driver();
            p.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
            p.setProperty("socketTimeout", String.valueOf(timeoutSeconds + 1));
            p.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
            p.setProperty("ApplicationName", "servmon-check");
        } else if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            driver = new org.mariadb.jdbc.Driver();
            p.setProperty("connectTimeout", String.valueOf(timeoutSeconds * 1000));
            p.setProperty("socketTimeout", String.valueOf((timeoutSeconds + 1) * 1000));
            p.setProperty("allowLocalInfile", "false");
            // The MariaDB driver answers jdbc:mysql: only with this flag.
            url = url.startsWith("jdbc:mysql:") ? withParameter(url, "permitMysqlScheme") : url;
        } else if (url.startsWith("jdbc:sqlite:")) {
            driver = new org.sqlite.JDBC();
            p.setProperty("open_mode", "1");
            p.setProperty("busy_timeout", String.valueOf(timeoutSeconds * 1000));
        } else {
            throw new SQLException("no driver for " + Check.withoutParameters(url) + "; use PostgreSQL, MySQL/MariaDB or SQLite");
        }
        Connection c = driver.connect(url, p);
        if (c == null) {
            throw new SQLException("the driver does not accept " + Check.withoutParameters(url));
        }
        return c;
    }

    private static String withParameter(String url, String flag) {
        return url + (url.contains("?") ? "&" : "?") + flag;
    }

    static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text.strip());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String quote(String s) {
        if (s == null) {
            return "NULL";
        }
        return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
    }
}
