package dev.servmon.hub.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IncludesTest {
    private static final String NAV = """
              <nav><a href="/" data-nav data-testid="nav-hosts">Hosts</a> <a href="/alerts.html" data-nav data-testid="nav-alerts">Alerts</a></nav>
            """;

    @Test
    void a_marker_line_is_replaced_by_its_partial_and_the_rest_is_kept() {
        String page = "<head>\n  <!--servmon:head-->\n  <title>T</title>\n</head>\n";
        String out = Includes.expand("x.html", page, Map.of("head", "  <meta charset=\"utf-8\">\n"));
        assertThat(out).isEqualTo("<head>\n  <meta charset=\"utf-8\">\n  <title>T</title>\n</head>\n");
    }

    @Test
    void a_partial_without_a_final_newline_still_ends_its_line() {
        String out = Includes.expand("x.html", "a\n<!--servmon:p-->\nb\n", Map.of("p", "P"));
        assertThat(out).isEqualTo("a\nP\nb\n");
    }

    @Test
    void the_link_to_the_page_itself_is_marked_current_and_the_others_lose_the_marker() {
        String alerts = Includes.expand("alerts.html", "<!--servmon:nav-->\n", Map.of("nav", NAV));
        assertThat(alerts).contains("<a href=\"/alerts.html\" aria-current=\"page\" data-testid=\"nav-alerts\">")
                .contains("<a href=\"/\" data-testid=\"nav-hosts\">").doesNotContain("data-nav");
        String index = Includes.expand("index.html", "<!--servmon:nav-->\n", Map.of("nav", NAV));
        assertThat(index).contains("<a href=\"/\" aria-current=\"page\" data-testid=\"nav-hosts\">")
                .contains("<a href=\"/alerts.html\" data-testid=\"nav-alerts\">");
        String host = Includes.expand("host.html", "<!--servmon:nav-->\n", Map.of("nav", NAV));
        assertThat(host).doesNotContain("aria-current").doesNotContain("data-nav");
    }

    @Test
    void an_unknown_partial_names_the_page_the_line_and_the_missing_file() {
        assertThatThrownBy(() -> Includes.expand("alerts.html", "a\nb\n  <!--servmon:topbar-->\n", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("web/alerts.html line 3").hasMessageContaining("web/partials/topbar.html");
    }

    @Test
    void a_marker_inside_a_line_is_refused_rather_than_left_in_the_page() {
        assertThatThrownBy(() -> Includes.expand("x.html", "<p>\n<b><!--servmon:head--></b>\n", Map.of("head", "h")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("web/x.html line 2").hasMessageContaining("alone on its line");
    }

    @Test
    void partials_may_not_include_partials_nor_place_data_nav_elsewhere() {
        assertThatThrownBy(() -> Includes.checkPartial("a", "<!--servmon:b-->\n")).hasMessageContaining("web/partials/a.html");
        assertThatThrownBy(() -> Includes.checkPartial("a", "<a class=\"x\" href=\"/\" data-nav>"))
                .hasMessageContaining("right after the link's href");
        Includes.checkPartial("a", NAV);
    }
}
