package dev.tuner.testing;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The readers of tuner's outputs that are not tuner: Prometheus' own {@code promtool check metrics}
 * (Debian's {@code prometheus} package), the JUnit XML schema CI servers follow
 * ({@code junit/ant-junit.xsd}, validated by the JDK's XML Schema validator), and Python's
 * {@code jsonschema} (Debian's {@code python3-jsonschema}, {@code python3-yaml}) for YAML files
 * against a JSON Schema. A missing tool skips the test, or fails it in CI ({@link Peers}).
 */
public final class OutputCheckers {
    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private OutputCheckers() {}

    /** What {@code promtool check metrics} says about a text exposition; empty when it exits 0 with nothing to say. */
    public static String promtool(String exposition) throws IOException, InterruptedException {
        Peers.require("promtool", Files.isExecutable(PROMTOOL) ? null
                : PROMTOOL + " is missing: install it with 'apt-get install -y --no-install-recommends prometheus'");
        Result r = run(List.of(PROMTOOL.toString(), "check", "metrics"), exposition);
        return r.code == 0 ? r.out.strip() : "exit " + r.code + ": " + r.out.strip();
    }

    /** Every violation of the JUnit XML schema, with its line; empty when the document is valid. */
    public static List<String> junitSchemaProblems(String xml) throws SAXException, IOException {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Validator v = f.newSchema(Repo.resource("junit/ant-junit.xsd").toFile()).newValidator();
        List<String> problems = new ArrayList<>();
        v.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {}

            @Override
            public void error(SAXParseException e) {
                problems.add("line " + e.getLineNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                problems.add("line " + e.getLineNumber() + ": " + e.getMessage());
            }
        });
        try {
            v.validate(new StreamSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            // Already reported to the handler.
        }
        return problems;
    }

    /** Every violation, document by document, of a multi-document YAML file against a JSON Schema (draft 7); empty when valid. */
    public static List<String> jsonSchemaProblems(Path yaml, Path schema) throws IOException, InterruptedException {
        String why = null;
        if (!Files.isExecutable(PYTHON)) why = PYTHON + " is missing";
        else if (run(List.of(PYTHON.toString(), "-c", "import jsonschema, yaml"), "").code != 0) {
            why = "python3 has no jsonschema or yaml module: install them with 'apt-get install -y python3-jsonschema python3-yaml'";
        }
        Peers.require("python3-jsonschema", why);
        String script = """
                import json, sys, yaml, jsonschema
                schema = json.load(open(sys.argv[2]))
                jsonschema.Draft7Validator.check_schema(schema)
                validator = jsonschema.Draft7Validator(schema)
                for i, doc in enumerate(yaml.safe_load_all(open(sys.argv[1]))):
                    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
                        print("document %d at %s: %s" % (i + 1, "/".join(str(p) for p in e.absolute_path) or "/", e.message))
                """;
        Result r = run(List.of(PYTHON.toString(), "-c", script, yaml.toString(), schema.toString()), "");
        if (r.code != 0) throw new AssertionError("the JSON Schema check itself failed (exit " + r.code + "): " + r.out);
        return r.out.lines().filter(l -> !l.isBlank()).toList();
    }

    private record Result(int code, String out) {}

    private static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), out);
    }
}
