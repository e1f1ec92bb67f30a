package dev.tuner.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds one number in a benchmark's output. */
public sealed interface Extractor permits Extractor.Regex, Extractor.Json {

    double extract(String output);

    /** The output did not contain the figure; the message says what was looked for. */
    final class ParseFailure extends RuntimeException {
        public ParseFailure(String message) {
            super(message);
        }
    }

    /** First match of a regex; the number is the group named {@code value} if there is one, else group 1. */
    record Regex(Pattern pattern, boolean named) implements Extractor {
        public static Regex of(String regex) {
            Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
            if (p.matcher("").groupCount() == 0) throw new IllegalArgumentException("the regex has no group: put the number in ( ... ) or (?<value> ... )");
            return new Regex(p, regex.contains("(?<value>"));
        }

        @Override
        public double extract(String output) {
            Matcher m = pattern.matcher(output);
            if (!m.find()) throw new ParseFailure("regex /" + pattern.pattern() + "/ found nothing in the output");
            String text = named ? m.group("value") : m.group(1);
            return number(text, "regex /" + pattern.pattern() + "/");
        }
    }

    /**
     * A JSONPath-lite path into the first JSON value in the output. Text before the first '{' or
     * '[' is skipped, because tools print warnings ahead of their JSON (fio does).
     */
    record Json(JsonPath path) implements Extractor {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        @Override
        public double extract(String output) {
            int start = firstJson(output);
            if (start < 0) throw new ParseFailure("no JSON in the output (looked for " + path + ")");
            JsonNode root;
            try (JsonParser p = MAPPER.createParser(output.substring(start))) {
                root = MAPPER.readTree(p);
            } catch (IOException e) {
                throw new ParseFailure("the output is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
            JsonNode n = path.find(root);
            if (n == null || n.isMissingNode() || n.isNull()) throw new ParseFailure(path + " is not in the JSON output");
            if (n.isNumber()) return n.asDouble();
            if (n.isTextual()) return number(n.asText(), path.toString());
            throw new ParseFailure(path + " is " + n.getNodeType().name().toLowerCase() + ", not a number");
        }

        private static int firstJson(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if ((c == '{' || c == '[') && (i == 0 || s.charAt(i - 1) == '\n')) return i;
            }
            int brace = s.indexOf('{');
            return brace;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    private static double number(String text, String what) {
        String t = text == null ? "" : text.trim().replace(",", "").replace("_", "");
        try {
            double d = Double.parseDouble(t);
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new ParseFailure(what + " matched '" + text + "', which is not a number");
        }
    }
}
