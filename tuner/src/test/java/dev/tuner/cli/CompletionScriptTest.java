package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script in a real bash, as a Tab press runs it: what it offers after a word. */
class CompletionScriptTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("completion.bash"), TunerCli.run("completion").out());
        Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  tasks: []\n");
        Files.writeString(dir.resolve("hosts.ini"), "[db]\ndb01\n");
        Files.createDirectories(dir.resolve("journal-dir"));
    }

    /** What bash offers for the last word of {@code line} (the word may be empty: Tab after a space). */
    private List<String> complete(String line) throws Exception {
        String script = String.join("\n",
                "source ./completion.bash",
                "COMP_LINE='" + line + "'",
                "read -ra COMP_WORDS <<< \"$COMP_LINE\"",
                "[[ \"$COMP_LINE\" == *' ' ]] && COMP_WORDS+=('')",
                "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))",
                "_complete_tuner",
                "printf '%s\\n' \"${COMPREPLY[@]}\"");
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void verboseTakesNoValueSoThePlaybookIsCompletedAfterIt() throws Exception {
        assertThat(complete("tuner plan -v si")).containsExactly("site.yml");
        assertThat(complete("tuner apply -v -i hosts.ini si")).containsExactly("site.yml");
    }

    @Test
    void inventoryAndJournalCompleteFiles() throws Exception {
        assertThat(complete("tuner plan site.yml -i ho")).containsExactly("hosts.ini");
        assertThat(complete("tuner history --journal jour")).containsExactly("journal-dir");
        assertThat(complete("tuner apply site.yml --journal jour")).containsExactly("journal-dir");
    }
}
