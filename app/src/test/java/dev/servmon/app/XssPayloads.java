package dev.servmon.app;

import java.util.ArrayList;
import java.util.List;

/**
 * The script-injection corpus of the browser tests. Every payload that runs calls the page's
 * exposed {@code xssHit(label)} or sets {@code window.__xss}; the label says which one ran.
 */
final class XssPayloads {
    /** Each fits in a 64-character name. */
    static final List<String> SHORT = List.of(
            "<script>xssHit('script')</script>",
            "<img src=x onerror=xssHit('img')>",
            "javascript:xssHit('js-url')",
            "\"><svg onload=xssHit('svg')>",
            "${xssHit('template')}`${window.__xss=1}`",
            "' onmouseover='xssHit(\"attr\")' x='",
            "\" onfocus=\"xssHit('focus')\" autofocus=\"",
            "</title><script>window.__xss=1</script>",
            "<iframe srcdoc=\"<script>parent.xssHit('if')</script>\">",
            "<a href=javascript:xssHit('a')>x</a>",
            "{{constructor.constructor('xssHit(1)')()}}",
            "<style>@import'//x'</style><b>bold</b>");

    /** Context breakers for attributes, textareas, templates and bidi text; each at most 64 characters. */
    static final List<String> BREAKERS = List.of(
            "<svg onload=xssHit('svg2')>",
            "\"><script>xssHit('break')</script>",
            "</textarea><script>xssHit('ta')</script>",
            "` onclick=`xssHit('bt')` x=`",
            "'\"`><img src=x onerror=xssHit('q')>",
            "\u202Egnp.exe<img src=x onerror=xssHit('rtl')>\u202C",
            "{{7*7}} ${7*7} #{7*7} <%= 7*7 %>",
            "<details open ontoggle=xssHit('det')>",
            "<math><mtext></p><img src=x onerror=xssHit('mx')>",
            "\u001b[31m<b>red</b>\u001b[0m\u001b]8;;javascript:xssHit(8)\u0007");

    /** Too long for any name (about 3,000 characters, under the 4,096 of a program argument): for messages, comments, output and arguments. */
    static final String LONG = "A".repeat(2_000) + "<img src=x onerror=xssHit('long')>" + "\u202E".repeat(8) + "B".repeat(1_000);

    private XssPayloads() {}

    /** The short payloads, then the breakers. */
    static List<String> names() {
        List<String> all = new ArrayList<>(SHORT);
        all.addAll(BREAKERS);
        return all;
    }

    /** Every payload including {@link #LONG}, for free text without a short limit. */
    static List<String> all() {
        List<String> all = names();
        all.add(LONG);
        return all;
    }

    /** Payload {@code i} of {@link #names()}, cycling. */
    static String name(int i) {
        List<String> names = names();
        return names.get(Math.floorMod(i, names.size()));
    }
}
