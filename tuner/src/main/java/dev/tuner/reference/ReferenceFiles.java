package dev.tuner.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files written from the setting kinds: the playbook schema and the kinds page, by their
 * paths relative to the repository root. The build writes them into the classes directory (so
 * the jar carries the schema); written into the repository root, they refresh the committed
 * copies editors and readers use.
 */
public final class ReferenceFiles {
    public static final String SCHEMA = "schema/playbook.schema.json";
    public static final String KINDS_PAGE = "docs/setting-kinds.md";
    /** The command that refreshes the committed copies, run from the repository root. */
    public static final String REGENERATE = "mvn -q process-classes -Dtuner.reference.dir=$PWD";

    private ReferenceFiles() {}

    /** Each file's relative path and its content. */
    public static Map<String, String> generated() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(SCHEMA, PlaybookSchema.text());
        out.put(KINDS_PAGE, KindsTable.markdown());
        return out;
    }

    /** Writes every file under the directory given; a file already as generated is left untouched. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: ReferenceFiles DIRECTORY (the repository root, or the classes directory)");
        Path dir = Path.of(args[0]);
        for (Map.Entry<String, String> f : generated().entrySet()) {
            Path target = dir.resolve(f.getKey());
            if (Files.isRegularFile(target) && Files.readString(target, StandardCharsets.UTF_8).equals(f.getValue())) continue;
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
        }
    }
}
