package dev.servmon.hub.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the files: from a jar or a directory, includes expanded, partials kept out, mistakes refused at start. */
class DashboardFilesTest {
    private static Map<String, byte[]> files(String... nameThenText) {
        var m = new java.util.TreeMap<String, byte[]>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            m.put(nameThenText[i], nameThenText[i + 1].getBytes(UTF_8));
        }
        return m;
    }

    @Test
    void a_jar_and_a_directory_with_the_same_files_read_the_same(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("app.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("web/"));
            put(out, "web/index.html", "<p>start</p>\n");
            put(out, "web/js/app.js", "export {};\n");
            put(out, "dev/Other.class", "not web");
            put(out, "webby/x.txt", "not web either");
        }
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("web/js"));
        Files.writeString(classes.resolve("web/index.html"), "<p>start</p>\n");
        Files.writeString(classes.resolve("web/js/app.js"), "export {};\n");
        Files.writeString(classes.resolve("other.txt"), "not web");

        var fromJar = ClasspathFolder.read(jar, "web");
        var fromDir = ClasspathFolder.read(classes, "web");
        assertThat(fromJar.keySet()).containsExactly("index.html", "js/app.js");
        assertThat(fromDir.keySet()).containsExactly("index.html", "js/app.js");
        assertThat(new String(fromJar.get("js/app.js"), UTF_8)).isEqualTo("export {};\n");
        assertThat(fromDir.get("index.html")).isEqualTo(fromJar.get("index.html"));
    }

    @Test
    void a_jar_without_the_folder_is_refused_with_its_name(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("empty.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "x.txt", "x");
        }
        assertThatThrownBy(() -> ClasspathFolder.read(jar, "web")).hasMessageContaining("no files under web/").hasMessageContaining("empty.jar");
    }

    private static void put(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write(text.getBytes(UTF_8));
        out.closeEntry();
    }

    @Test
    void pages_are_expanded_partials_are_not_served_and_slash_is_the_index() {
        var d = DashboardFiles.of(files(
                "index.html", "<body>\n  <!--servmon:bar-->\n</body>\n",
                "alerts.html", "<body>\n  <!--servmon:bar-->\n</body>\n",
                "partials/bar.html", "  <a href=\"/\" data-nav>Hosts</a> <a href=\"/alerts.html\" data-nav>Alerts</a>\n",
                "js/a.js", "<!--servmon:bar-->"));
        assertThat(d.paths()).containsExactly("/", "/alerts.html", "/index.html", "/js/a.js");
        assertThat(new String(d.body("/"), UTF_8)).isEqualTo(new String(d.body("/index.html"), UTF_8))
                .isEqualTo("<body>\n  <a href=\"/\" aria-current=\"page\">Hosts</a> <a href=\"/alerts.html\">Alerts</a>\n</body>\n");
        assertThat(new String(d.body("/alerts.html"), UTF_8)).contains("<a href=\"/alerts.html\" aria-current=\"page\">Alerts</a>");
        assertThat(new String(d.body("/js/a.js"), UTF_8)).as("only pages are expanded").isEqualTo("<!--servmon:bar-->");
    }

    @Test
    void mistakes_in_the_files_stop_the_hub_at_start_with_the_file_named() {
        assertThatThrownBy(() -> DashboardFiles.of(files("app.js", "x"))).hasMessageContaining("web/index.html is missing");
        assertThatThrownBy(() -> DashboardFiles.of(files("index.html", "x", "font.ttf", "x")))
                .hasMessageContaining("web/font.ttf").hasMessageContaining(".ttf");
        assertThatThrownBy(() -> DashboardFiles.of(files("index.html", "<!--servmon:nope-->\n")))
                .hasMessageContaining("web/partials/nope.html");
        assertThatThrownBy(() -> DashboardFiles.of(files("index.html", "x", "partials/a/b.html", "x")))
                .hasMessageContaining("web/partials/NAME.html");
    }

    @Test
    void text_above_a_kilobyte_gets_a_gzipped_copy_and_its_own_etag_while_small_or_binary_files_do_not() {
        byte[] text = "body { color: red; }\n".repeat(100).getBytes(UTF_8);
        WebFile css = WebFile.of("css/app.css", text);
        assertThat(css.contentType()).isEqualTo("text/css;charset=utf-8");
        assertThat(css.gzip()).isNotNull();
        assertThat(css.gzip().length).isLessThan(text.length / 10);
        assertThat(css.etag()).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
        assertThat(css.gzipEtag()).isNotEqualTo(css.etag());
        assertThat(WebFile.of("favicon.svg", "<svg/>".getBytes(UTF_8)).gzip()).as("small").isNull();
        assertThat(WebFile.of("logo.png", text).gzip()).as("binary type").isNull();
        assertThat(WebFile.of("a.css", "x".getBytes(UTF_8)).etag()).isNotEqualTo(WebFile.of("a.css", "y".getBytes(UTF_8)).etag());
    }

    @Test
    void request_paths_are_percent_decoded_and_malformed_ones_find_nothing() {
        assertThat(DashboardFiles.decode("/js/api.js")).isEqualTo("/js/api.js");
        assertThat(DashboardFiles.decode("/js/%61pi.js")).isEqualTo("/js/api.js");
        assertThat(DashboardFiles.decode("/a+b.js")).as("+ is a plus in a path").isEqualTo("/a+b.js");
        assertThat(DashboardFiles.decode("/js/%2e%2e/x")).isEqualTo("/js/../x");
        assertThat(DashboardFiles.decode("/%zz")).isNull();
        assertThat(DashboardFiles.decode("/%")).isNull();
    }
}
