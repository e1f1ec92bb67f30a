package dev.tuner.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.settings.registry.SettingKinds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed schema and kinds page are exactly what the registered kinds generate, the build
 * put the schema on the classpath (so the jar carries it), and the README points to both.
 */
class ReferenceFilesTest {
    private static final Path REPO = Path.of(System.getProperty("tuner.repo", "..")).toAbsolutePath().normalize();

    static Stream<String> files() {
        return ReferenceFiles.generated().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void theCommittedCopyIsWhatTheKindsGenerate(String path) throws IOException {
        Path committed = REPO.resolve(path);
        String stale = path + " is not what the setting kinds generate: regenerate it from the repository root with `"
                + ReferenceFiles.REGENERATE + "` and commit it";
        assertThat(committed).as(stale).isRegularFile();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8)).as(stale).isEqualTo(ReferenceFiles.generated().get(path));
    }

    @Test
    void theBuildPutTheSchemaOnTheClasspath() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/" + ReferenceFiles.SCHEMA)) {
            assertThat(in).as("the build (process-classes) writes %s into the classes", ReferenceFiles.SCHEMA).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(PlaybookSchema.text());
        }
    }

    @Test
    void writesEveryFileUnderTheDirectoryItIsGiven(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve(ReferenceFiles.KINDS_PAGE), "stale");
        ReferenceFiles.main(new String[] {dir.toString()});
        for (Map.Entry<String, String> f : ReferenceFiles.generated().entrySet())
            assertThat(dir.resolve(f.getKey())).hasContent(f.getValue());
    }

    @Test
    void theSchemaIsJsonWithADefinitionForEveryKind() throws IOException {
        var schema = new ObjectMapper().readTree(PlaybookSchema.text());
        for (String kind : SettingKinds.names())
            assertThat(schema.get("definitions").get(kind)).as(kind).isNotNull();
    }

    @Test
    void theKindsPageHasARowForEveryKind() {
        String page = KindsTable.markdown();
        for (String kind : SettingKinds.names())
            assertThat(page).as(kind).containsPattern("(?m)^\\| `" + kind + "` \\| \\S");
    }

    @Test
    void theReadmeLinksTheKindsPageAndListsTheSchemaCommand() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        assertThat(readme).contains("](" + ReferenceFiles.KINDS_PAGE + ")").contains("| `tuner schema` |");
    }
}
