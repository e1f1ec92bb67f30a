package dev.tuner.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subset of Python's {@code ast.literal_eval} that Ansible's INI inventory applies to every
 * value: numbers, quoted strings, True/False/None, lists, tuples and dicts. Ansible keeps the raw
 * text when evaluation fails, so {@code port=22} is the number 22 but {@code port=022} and
 * {@code flag=true} stay strings. Sets and complex numbers are not representable in JSON and are
 * kept as text.
 */
final class PythonLiteral {
    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The value as Ansible's INI plugin stores it: the literal's value, or the text itself. */
    static Object valueOf(String raw) {
        return evaluate(raw).orElse(raw);
    }

    /** The literal's value (a null literal is {@code Optional.of(NONE)}), or empty when it is not a literal. */
    static Optional<Object> evaluate(String raw) {
        PythonLiteral p = new PythonLiteral(raw);
        try {
            p.skipSpace();
            Object v = p.value();
            p.skipSpace();
            if (p.pos != raw.length()) return Optional.empty();
            return Optional.of(v == null ? NONE : v);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** Marker for Python's None, because Optional cannot hold null. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    static Object unwrap(Object v) {
        return v == NONE ? null : v;
    }

    private Object value() {
        char c = text.charAt(pos);
        if (c == '[') return sequence('[', ']');
        if (c == '(') return sequence('(', ')');
        if (c == '{') return dict();
        if (c == '\'' || c == '"') return strings();
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) return number();
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
            String word = text.substring(start, pos);
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> null;
                default -> throw new IllegalArgumentException("name");
            };
        }
        throw new IllegalArgumentException("unexpected");
    }

    private List<Object> sequence(char open, char close) {
        expect(open);
        List<Object> out = new ArrayList<>();
        skipSpace();
        boolean sawComma = false;
        while (text.charAt(pos) != close) {
            out.add(unwrap(value()));
            skipSpace();
            sawComma = false;
            if (text.charAt(pos) == ',') {
                pos++;
                sawComma = true;
                skipSpace();
            } else if (text.charAt(pos) != close) {
                throw new IllegalArgumentException("separator");
            }
        }
        // "(1)" is just the number 1 in Python, not a tuple.
        if (open == '(' && out.size() == 1 && !sawComma) {
            pos++;
            return singleton(out.get(0));
        }
        pos++;
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T singleton(Object o) {
        return (T) o;
    }

    private Map<String, Object> dict() {
        expect('{');
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        while (text.charAt(pos) != '}') {
            Object key = unwrap(value());
            if (key instanceof List || key instanceof Map) throw new IllegalArgumentException("unhashable key");
            skipSpace();
            if (text.charAt(pos) != ':') throw new IllegalArgumentException("set literal");
            pos++;
            skipSpace();
            out.put(PythonRepr.str(key), unwrap(value()));
            skipSpace();
            if (text.charAt(pos) == ',') {
                pos++;
                skipSpace();
            } else if (text.charAt(pos) != '}') {
                throw new IllegalArgumentException("separator");
            }
        }
        pos++;
        return out;
    }

    /** Adjacent string literals concatenate, as in Python: "a" 'b' is "ab". */
    private String strings() {
        StringBuilder sb = new StringBuilder(string());
        while (true) {
            int save = pos;
            skipSpace();
            if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
                sb.append(string());
            } else {
                pos = save;
                return sb.toString();
            }
        }
    }

    private String string() {
        char q = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = text.charAt(pos++);
            if (c == q) return sb.toString();
            if (c == '\n') throw new IllegalArgumentException("EOL in string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '\\', '\'', '"' -> sb.append(e);
                case 'x' -> {
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 2), 16));
                    pos += 2;
                }
                case 'u' -> {
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> sb.append('\\').append(e);
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean negative = false;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            negative = text.charAt(pos) == '-';
            pos++;
            skipSpace();
        }
        int digitsStart = pos;
        while (pos < text.length() && isNumberChar(text.charAt(pos))) {
            char c = text.charAt(pos);
            // an exponent sign belongs to the number: 1e-3
            if ((c == '+' || c == '-') && !(pos > digitsStart && "eE".indexOf(text.charAt(pos - 1)) >= 0)) break;
            pos++;
        }
        String body = text.substring(digitsStart, pos);
        if (body.isEmpty() || body.startsWith("_") || body.endsWith("_") || body.contains("__")) {
            throw new IllegalArgumentException("number " + text.substring(start, pos));
        }
        String plain = body.replace("_", "");
        String lower = plain.toLowerCase();
        Number n;
        if (lower.startsWith("0x")) n = new BigInteger(plain.substring(2), 16);
        else if (lower.startsWith("0o")) n = new BigInteger(plain.substring(2), 8);
        else if (lower.startsWith("0b")) n = new BigInteger(plain.substring(2), 2);
        else if (lower.matches("[0-9]+")) {
            // Python 3 refuses leading zeros in decimal integers (other than 0 itself).
            if (lower.length() > 1 && lower.startsWith("0") && !lower.matches("0+")) throw new IllegalArgumentException("leading zero");
            n = new BigInteger(plain);
        } else if (lower.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
            double d = Double.parseDouble(plain);
            return negative ? -d : d;
        } else {
            throw new IllegalArgumentException("number");
        }
        BigInteger b = (BigInteger) n;
        if (negative) b = b.negate();
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private static boolean isNumberChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '+' || c == '-';
    }

    private void expect(char c) {
        if (text.charAt(pos) != c) throw new IllegalArgumentException("expected " + c);
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
    }
}
