package dev.servmon.hub.web;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side includes of the dashboard's pages: a line {@code <!--servmon:NAME-->} is replaced
 * by the partial {@code partials/NAME.html}, so the head, the top bar and the dialogs several
 * pages share are written once. In a partial, a link written {@code <a href="/x.html" data-nav}
 * is a navigation link: on the page it points at it becomes {@code aria-current="page"}, on
 * every other page the marker goes. Pure text in, text out; {@link DashboardFiles} applies it
 * once when it loads the files.
 */
final class Includes {
    /** The prefix of every marker; one left in a page after expanding is an error. */
    static final String MARKER = "<!--servmon:";
    private static final Pattern LINE = Pattern.compile("(?m)^[ \\t]*<!--servmon:([a-z][a-z0-9-]*)-->[ \\t]*(?:\\r?\\n|\\z)");
    private static final Pattern NAV = Pattern.compile("<a href=\"([^\"]*)\" data-nav(?=[\\s>])");
    private static final String NAV_ATTRIBUTE = "data-nav";

    private Includes() {}

    /**
     * The page with every marker replaced.
     *
     * @param pageName the page's name under web/ ({@code alerts.html}); its link is marked current
     * @param partials partial name ({@code topbar-start}) to its text
     * @throws IllegalStateException naming the page and line of an unknown partial, or of a marker
     *     that does not stand alone on its line
     */
    static String expand(String pageName, String page, Map<String, String> partials) {
        String self = pageName.equals("index.html") ? "/" : "/" + pageName;
        Matcher m = LINE.matcher(page);
        StringBuilder out = new StringBuilder(page.length() + 4096);
        int last = 0;
        while (m.find()) {
            String partial = partials.get(m.group(1));
            if (partial == null) {
                throw new IllegalStateException("web/" + pageName + " line " + lineOf(page, m.start()) + ": no partial web/partials/"
                        + m.group(1) + ".html for " + m.group().strip() + "; add the file or fix the name");
            }
            out.append(page, last, m.start()).append(markCurrent(partial, self));
            if (!partial.endsWith("\n")) {
                out.append('\n');
            }
            last = m.end();
        }
        out.append(page, last, page.length());
        int stray = out.indexOf(MARKER);
        if (stray >= 0) {
            throw new IllegalStateException("web/" + pageName + " line " + lineOf(out, stray)
                    + ": a " + MARKER + "NAME--> include must stand alone on its line");
        }
        return out.toString();
    }

    /**
     * Checks a partial: it may not include another (includes are one level deep), and every
     * {@code data-nav} must sit right after a link's {@code href}, where {@link #markCurrent} finds it.
     */
    static void checkPartial(String name, String partial) {
        if (partial.contains(MARKER)) {
            throw new IllegalStateException("web/partials/" + name + ".html includes another partial; includes are one level deep");
        }
        if (NAV.matcher(partial).replaceAll("").contains(NAV_ATTRIBUTE)) {
            throw new IllegalStateException("web/partials/" + name + ".html: write " + NAV_ATTRIBUTE
                    + " right after the link's href, as <a href=\"/x.html\" " + NAV_ATTRIBUTE + " …>");
        }
    }

    private static String markCurrent(String partial, String self) {
        return NAV.matcher(partial).replaceAll(r -> Matcher.quoteReplacement(
                "<a href=\"" + r.group(1) + "\"" + (r.group(1).equals(self) ? " aria-current=\"page\"" : "")));
    }

    private static int lineOf(CharSequence text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
