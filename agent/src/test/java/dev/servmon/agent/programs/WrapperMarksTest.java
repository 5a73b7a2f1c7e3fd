package dev.servmon.agent.programs;

import static dev.servmon.agent.programs.Programs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The marks on a wrapper, read back from the bytes {@code /proc/<pid>/cmdline} and {@code environ} hold. */
class WrapperMarksTest {
    private static byte[] nul(String... fields) {
        return (String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_wrappers_command_line_names_its_exit_file_and_other_command_lines_name_none() {
        byte[] wrapper = nul("/usr/bin/sh", "-c", Launcher.WRAPPER, "servmon-program", "/var/lib/servmon-agent/programs/web/exit",
                "/usr/bin/python3", "-m", "http.server");
        assertThat(WrapperMarks.exitFileOf(wrapper, wrapper.length)).isEqualTo("/var/lib/servmon-agent/programs/web/exit");

        byte[] other = nul("/bin/sh", "-c", "sleep 1", "servmon-program", "/tmp/x");
        assertThat(WrapperMarks.exitFileOf(other, other.length)).as("another script").isNull();
        byte[] oldWrapper = nul("/bin/sh", "-c", "f=$1; shift; trap : TERM INT HUP QUIT USR1 USR2; \"$@\"; c=$?; echo $c > \"$f\"; exit $c",
                "servmon-program", "/tmp/x", "/bin/true");
        assertThat(WrapperMarks.exitFileOf(oldWrapper, oldWrapper.length)).as("started before wrappers were marked").isNull();
        byte[] java = nul("/usr/bin/java", "-jar", "servmon.jar");
        assertThat(WrapperMarks.exitFileOf(java, java.length)).isNull();
        assertThat(WrapperMarks.exitFileOf(wrapper, 120)).as("cut off before the exit file ends").isNull();
        assertThat(WrapperMarks.exitFileOf(new byte[0], 0)).isNull();
    }

    @Test
    void the_marks_are_read_from_anywhere_in_the_environment_and_all_three_are_needed() {
        byte[] env = nul("PATH=/usr/bin:/bin", "SERVMON_OWNER=0123456789abcdef", "HOME=/root", "SERVMON_PROGRAM=web",
                "SERVMON_LAUNCH=fedcba9876543210", "LANG=C.UTF-8");
        assertThat(WrapperMarks.marksOf(env, env.length)).isEqualTo(new WrapperMarks.Marks("web", "0123456789abcdef", "fedcba9876543210"));

        byte[] last = "SERVMON_PROGRAM=db\0SERVMON_OWNER=o\0SERVMON_LAUNCH=l".getBytes(StandardCharsets.UTF_8);
        assertThat(WrapperMarks.marksOf(last, last.length)).as("no NUL after the last variable").isEqualTo(new WrapperMarks.Marks("db", "o", "l"));

        byte[] noOwner = nul("SERVMON_PROGRAM=web", "SERVMON_LAUNCH=x", "SERVMON_OWNERX=y");
        assertThat(WrapperMarks.marksOf(noOwner, noOwner.length)).isNull();
        byte[] plain = nul("PATH=/bin", "SERVMON_PROGRAMS=web");
        assertThat(WrapperMarks.marksOf(plain, plain.length)).isNull();
    }

    @Test
    void the_launch_fingerprint_changes_with_how_a_program_is_launched_and_only_with_that() {
        String base = WrapperMarks.fingerprint(spec("web", "sleep 1"));
        assertThat(base).hasSize(16).matches("[0-9a-f]+");
        assertThat(WrapperMarks.fingerprint(spec("web", "sleep 1", "restart", "always", "autostart", true)))
                .as("policy and autostart do not change the launch").isEqualTo(base);
        assertThat(WrapperMarks.fingerprint(spec("web", "sleep 2"))).isNotEqualTo(base);
        assertThat(WrapperMarks.fingerprint(spec("web", "sleep 1", "cwd", "/tmp"))).isNotEqualTo(base);
        assertThat(WrapperMarks.fingerprint(spec("web", "sleep 1", "env", Map.of("A", "1")))).isNotEqualTo(base);
        assertThat(WrapperMarks.fingerprint(spec("web", "sleep 1", "env", Map.of("A", "1", "B", "2"))))
                .as("env in any order").isEqualTo(WrapperMarks.fingerprint(spec("web", "sleep 1", "env", Map.of("B", "2", "A", "1"))));
        assertThat(WrapperMarks.fingerprint(spec("web", "sleep 1", "args", java.util.List.of("-c", "sleep 1", ""))))
                .as("an empty argument counts").isNotEqualTo(WrapperMarks.fingerprint(spec("web", "sleep 1", "args", java.util.List.of("-c", "sleep 1"))));
    }

    @Test
    void the_owner_is_a_hash_of_the_key_not_the_key() {
        String owner = WrapperMarks.owner("k3y-0123456789abcdef0123456789abcdef");
        assertThat(owner).hasSize(16).doesNotContain("k3y").isEqualTo(WrapperMarks.owner("k3y-0123456789abcdef0123456789abcdef"));
        assertThat(WrapperMarks.owner("k3y-0123456789abcdef0123456789abcdeg")).isNotEqualTo(owner);
    }
}
