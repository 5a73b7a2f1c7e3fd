package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.Fixtures;
import org.junit.jupiter.api.Test;

class OsReleaseTest {

    @Test
    void the_pretty_name_of_debian_and_ubuntu() {
        assertThat(OsRelease.prettyName(Fixtures.text("this-vm/os-release"))).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(OsRelease.prettyName(Fixtures.text("node-exporter/os-release"))).isEqualTo("Ubuntu 20.04.2 LTS");
    }

    @Test
    void unquoted_single_quoted_and_escaped_values_follow_shell_rules() {
        assertThat(OsRelease.prettyName("PRETTY_NAME=Arch\n")).isEqualTo("Arch");
        assertThat(OsRelease.prettyName("PRETTY_NAME='Alpine Linux v3.19'\n")).isEqualTo("Alpine Linux v3.19");
        assertThat(OsRelease.prettyName("PRETTY_NAME=\"My \\\"OS\\\" \\$1\"\n")).isEqualTo("My \"OS\" $1");
    }

    @Test
    void without_a_pretty_name_the_name_and_version_are_used() {
        assertThat(OsRelease.prettyName("# comment\nNAME=\"Fedora Linux\"\nVERSION=\"40 (Server Edition)\"\n"))
                .isEqualTo("Fedora Linux 40 (Server Edition)");
        assertThat(OsRelease.prettyName("NAME=Gentoo\n")).isEqualTo("Gentoo");
        assertThat(OsRelease.prettyName("ID=x\n")).isNull();
    }
}
