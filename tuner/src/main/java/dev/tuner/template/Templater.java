package dev.tuner.template;

import freemarker.core.Environment;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateModel;
import freemarker.template.utility.DeepUnwrap;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code {{ expr }}} in playbook strings. Expressions are FreeMarker expressions
 * (e.g. {@code facts.cpu_count * 2}, {@code name?upper_case}, {@code size!"64"}), evaluated by
 * FreeMarker itself rather than by a home-made language. For Ansible users, the words
 * {@code and}, {@code or} and {@code not} outside quotes mean {@code &&}, {@code ||} and {@code !}.
 */
public final class Templater {
    private static final Pattern EXPR = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    /** Exactly one expression: its body may not contain "}}", or "{{ a }}-{{ b }}" would be taken as one. */
    private static final Pattern WHOLE = Pattern.compile("^\\s*\\{\\{((?:(?!}}).)*)}}\\s*$", Pattern.DOTALL);

    /**
     * One configuration and one parse per text for the whole process: a run over a fleet resolves
     * the same expressions and templates for every host, and FreeMarker's configuration and parsed
     * templates are safe to share between threads once built. The configuration is built on first
     * use, not when the class is: a playbook without expressions never needs it.
     */
    private static final class Shared {
        static final Configuration CONFIG = configuration();
    }

    private static final Map<String, Template> PARSED = new ConcurrentHashMap<>();

    private static Configuration configuration() {
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setNumberFormat("computer");
        config.setBooleanFormat("c");
        config.setAPIBuiltinEnabled(false);
        // Expressions must not reach Java classes: ?new and friends are off.
        config.setNewBuiltinClassResolver(freemarker.core.TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        return config;
    }

    /** The parsed template of {@code text} under {@code name}, parsed once. */
    private Template parsed(String name, String text) throws IOException {
        String key = name + "\0" + text;
        Template t = PARSED.get(key);
        if (t == null) {
            t = new Template(name, new StringReader(text), Shared.CONFIG);
            PARSED.put(key, t);
        }
        return t;
    }

    /** True if the string contains a {{ }} expression. */
    public static boolean isTemplated(String s) {
        return s != null && s.contains("{{");
    }

    /** True if a value, or any key or value inside its maps and lists, contains a {{ }} expression. */
    public static boolean isTemplatedDeep(Object v) {
        if (v instanceof String s) return isTemplated(s);
        if (v instanceof Map<?, ?> m) return m.entrySet().stream().anyMatch(e -> isTemplatedDeep(e.getKey()) || isTemplatedDeep(e.getValue()));
        if (v instanceof java.util.List<?> l) return l.stream().anyMatch(Templater::isTemplatedDeep);
        return false;
    }

    /**
     * Resolves every expression in {@code text}. A string that is exactly one expression keeps the
     * expression's type (number, boolean, list, map); otherwise results are spliced as text.
     */
    public Object render(String text, Map<String, Object> vars) {
        if (!isTemplated(text)) return text;
        Matcher whole = WHOLE.matcher(text);
        if (whole.matches()) return evaluate(whole.group(1), vars);
        Matcher m = EXPR.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            out.append(asText(evaluate(m.group(1), vars)));
            last = m.end();
        }
        if (text.indexOf("{{", last) >= 0) throw new TemplateError("unclosed '{{' in \"" + text + "\"");
        out.append(text.substring(last));
        return out.toString();
    }

    /** Resolves every string inside maps and lists, recursively. */
    @SuppressWarnings("unchecked")
    public Object renderDeep(Object value, Map<String, Object> vars) {
        if (value instanceof String s) return render(s, vars);
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), renderDeep(e.getValue(), vars));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(renderDeep(o, vars));
            return out;
        }
        return value;
    }

    /** Evaluates a condition such as a task's {@code when:}; it must give a boolean. */
    public boolean condition(String expr, Map<String, Object> vars) {
        String e = expr.trim();
        Matcher whole = WHOLE.matcher(e);
        if (whole.matches()) e = whole.group(1);
        Object v = evaluate(e, vars);
        if (v instanceof Boolean b) return b;
        throw new TemplateError("condition '" + expr.trim() + "' gave " + describe(v) + ", not true or false");
    }

    /** Evaluates one FreeMarker expression to a plain Java value. */
    public Object evaluate(String expression, Map<String, Object> vars) {
        String expr = ansibleWords(expression.trim());
        if (expr.isEmpty()) throw new TemplateError("empty expression '{{ }}'");
        Template t;
        try {
            t = parsed("expr", "<#assign tuner_result__ = (" + expr + ")>");
        } catch (ParseException e) {
            throw new TemplateError("cannot parse expression '" + expression.trim() + "': " + firstLine(e.getEditorMessage()));
        } catch (IOException e) {
            throw new TemplateError(e.getMessage());
        }
        try {
            Environment env = t.createProcessingEnvironment(vars, new StringWriter());
            env.process();
            TemplateModel result = env.getMainNamespace().get("tuner_result__");
            return result == null ? null : plainNumber(DeepUnwrap.unwrap(result));
        } catch (InvalidReferenceException e) {
            throw new TemplateError("undefined variable in '" + expression.trim() + "': "
                    + undefinedName(e) + " is not defined");
        } catch (TemplateException e) {
            throw new TemplateError("cannot evaluate '" + expression.trim() + "': " + firstLine(e.getMessageWithoutStackTop()));
        } catch (IOException e) {
            throw new TemplateError(e.getMessage());
        }
    }

    /** Renders a whole FreeMarker template text (for the template setting kind and reports). */
    public String renderTemplate(String name, String templateText, Map<String, Object> model) {
        try {
            Template t = parsed(name, templateText);
            StringWriter w = new StringWriter();
            t.process(model, w);
            return w.toString();
        } catch (ParseException e) {
            throw new TemplateError(name + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": " + firstLine(e.getEditorMessage()));
        } catch (InvalidReferenceException e) {
            String where = e.getLineNumber() == null ? name : name + ":" + e.getLineNumber() + ":" + e.getColumnNumber();
            throw new TemplateError(where + ": " + undefinedName(e) + " is not defined (give it a default: ${name!\"...\"})");
        } catch (TemplateException e) {
            String where = e.getLineNumber() == null ? name : name + ":" + e.getLineNumber() + ":" + e.getColumnNumber();
            throw new TemplateError(where + ": " + firstLine(e.getMessageWithoutStackTop()));
        } catch (IOException e) {
            throw new TemplateError(name + ": " + e.getMessage());
        }
    }

    /**
     * FreeMarker computes in BigDecimal and divides to 12 decimals: {@code 120 / 2} is
     * 60.000000000000, which no kernel accepts as a sysctl value. Whole results become a Long,
     * others lose their trailing zeros.
     */
    static Object plainNumber(Object v) {
        if (!(v instanceof BigDecimal d)) return v;
        BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            try {
                return stripped.longValueExact();
            } catch (ArithmeticException tooBig) {
                return stripped.toBigIntegerExact();
            }
        }
        return stripped;
    }

    static String asText(Object v) {
        if (v == null) return "";
        if (v instanceof BigDecimal d) return d.toPlainString();
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return String.valueOf(d.longValue());
        return String.valueOf(v);
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : "'" + asText(v) + "'";
    }

    private static String undefinedName(InvalidReferenceException e) {
        String blamed = e.getBlamedExpressionString();
        return blamed == null ? "a variable" : "'" + withoutWrappingParens(blamed) + "'";
    }

    /**
     * The expression is evaluated inside parentheses; when the whole of it is the undefined
     * reference FreeMarker blames "(x.y)", and the user wrote "x.y".
     */
    static String withoutWrappingParens(String s) {
        if (!s.startsWith("(") || !s.endsWith(")")) return s;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            if (depth == 0 && i < s.length() - 1) return s; // "(a) + (b)": the first group closes early
        }
        return s.substring(1, s.length() - 1).trim();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String line = s.strip().lines().findFirst().orElse("");
        return line.replace("----", "").trim();
    }

    /** Maps Jinja's and/or/not to FreeMarker's operators, leaving quoted strings alone. */
    static String ansibleWords(String expr) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < expr.length() && expr.charAt(end) != c) {
                    if (expr.charAt(end) == '\\') end++;
                    end++;
                }
                end = Math.min(end + 1, expr.length());
                out.append(expr, i, end);
                i = end;
                continue;
            }
            if (Character.isLetter(c) && (i == 0 || !isIdentChar(expr.charAt(i - 1)))) {
                int end = i;
                while (end < expr.length() && isIdentChar(expr.charAt(end))) end++;
                String word = expr.substring(i, end);
                switch (word) {
                    case "and" -> out.append("&&");
                    case "or" -> out.append("||");
                    case "not" -> out.append("!");
                    case "True" -> out.append("true");
                    case "False" -> out.append("false");
                    default -> out.append(word);
                }
                i = end;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '?' || c == '$';
    }

    /** A template or expression could not be resolved; the caller adds which task and key. */
    public static final class TemplateError extends RuntimeException {
        public TemplateError(String message) {
            super(message);
        }
    }
}
