package dev.tuner.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.transport.LocalConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one read script, run by /bin/sh on this machine against files in a temp directory. */
class ReadScriptTest {
    @TempDir
    Path dir;

    private ReadOutput run(ReadScript script) {
        return ReadOutput.parse(LocalConnection.thisMachine().exec(script.render()).out());
    }

    @Test
    void filesComeBackByteForByteAndAbsentOnesAsMissing() throws Exception {
        Path f = dir.resolve("a.conf");
        String content = "x = 1\n\n  tabs\tand 'quotes' \"$HOME\" `id`\nno final newline";
        Files.writeString(f, content, StandardCharsets.UTF_8);
        ReadOutput out = run(new ReadScript().file("a", f.toString()).file("b", dir.resolve("absent").toString()));
        assertThat(out.entry("a").status()).isEqualTo(ReadOutput.Status.OK);
        assertThat(out.entry("a").text()).isEqualTo(content);
        assertThat(out.entry("b").status()).isEqualTo(ReadOutput.Status.MISSING);
        assertThat(out.entry("never probed").status()).isEqualTo(ReadOutput.Status.MISSING);
    }

    @Test
    void aDirectoryWhereAFileIsExpectedIsAnErrorNotAnEmptyFile() throws Exception {
        Path d = Files.createDirectory(dir.resolve("daemon.json"));
        ReadOutput.Entry e = run(new ReadScript().file("cfg", d.toString())).entry("cfg");
        assertThat(e.status()).isEqualTo(ReadOutput.Status.ERROR);
        assertThat(e.text()).contains("is a directory");
    }
}
