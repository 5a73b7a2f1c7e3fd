package dev.servmon.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpNegotiationTest {
    @Test
    void gzip_is_accepted_when_listed_or_wildcarded_with_a_weight_above_zero() {
        assertThat(HttpNegotiation.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(HttpNegotiation.acceptsGzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(HttpNegotiation.acceptsGzip("*")).isTrue();
        assertThat(HttpNegotiation.acceptsGzip("x-gzip")).isTrue();
        assertThat(HttpNegotiation.acceptsGzip(null)).isFalse();
        assertThat(HttpNegotiation.acceptsGzip("")).isFalse();
        assertThat(HttpNegotiation.acceptsGzip("br, deflate")).isFalse();
        assertThat(HttpNegotiation.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(HttpNegotiation.acceptsGzip("gzip;q=zero")).isFalse();
    }

    @Test
    void if_none_match_matches_listed_tags_weakly_and_the_wildcard() {
        assertThat(HttpNegotiation.matchesAny("\"a\"", "\"a\"", "\"a-gzip\"")).isTrue();
        assertThat(HttpNegotiation.matchesAny("\"x\", W/\"a-gzip\"", "\"a\"", "\"a-gzip\"")).isTrue();
        assertThat(HttpNegotiation.matchesAny("*", "\"a\"")).isTrue();
        assertThat(HttpNegotiation.matchesAny("\"b\"", "\"a\"", null)).isFalse();
        assertThat(HttpNegotiation.matchesAny("a", "\"a\"")).isFalse();
        assertThat(HttpNegotiation.matchesAny(null, "\"a\"")).isFalse();
    }
}
