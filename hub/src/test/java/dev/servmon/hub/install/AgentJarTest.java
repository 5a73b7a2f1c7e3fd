package dev.servmon.hub.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent jar the hub's own jar carries is read from the class path per download, not kept on the heap. */
class AgentJarTest {
    @TempDir
    Path dir;

    @Test
    void the_bundled_jar_is_hashed_at_start_and_streamed_from_the_class_path_on_each_open() throws Exception {
        byte[] jar = new byte[200_000];
        new java.util.Random(7).nextBytes(jar);
        Path resource = dir.resolve(AgentJar.RESOURCE);
        Files.createDirectories(resource.getParent());
        Files.write(resource, jar);

        try (var loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            AgentJar found = AgentJar.find(null, loader).orElseThrow();

            assertThat(found.source()).isEqualTo("classpath:" + AgentJar.RESOURCE);
            assertThat(found.sizeBytes()).isEqualTo(jar.length);
            assertThat(found.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar)));
            for (int i = 0; i < 2; i++) {
                try (InputStream in = found.open()) {
                    assertThat(in.readAllBytes()).isEqualTo(jar);
                }
            }
        }
    }

    @Test
    void without_a_bundled_jar_there_is_none() throws Exception {
        try (var loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThat(AgentJar.find(null, loader)).isEmpty();
        }
    }
}
