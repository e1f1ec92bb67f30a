package dev.tuner.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an INI host line into words the way Python's {@code shlex.split(line, comments=True)}
 * does, which is what Ansible uses: quotes group and are removed, a backslash escapes the next
 * character, and '#' outside quotes ends the line.
 */
final class IniTokenizer {
    /** A word and the 0-based column where it starts. */
    record Token(String text, int column) {}

    static final class TokenException extends Exception {
        final int column;

        TokenException(int column, String message) {
            super(message);
            this.column = column;
        }
    }

    private IniTokenizer() {}

    static List<Token> split(String line) throws TokenException {
        List<Token> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int start = -1;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c) || c == '#') {
                if (start >= 0) {
                    out.add(new Token(cur.toString(), start));
                    cur.setLength(0);
                    start = -1;
                }
                if (c == '#') break;
                i++;
                continue;
            }
            if (start < 0) start = i;
            if (c == '\\') {
                if (i + 1 >= line.length()) throw new TokenException(i, "no character after the escape '\\'");
                cur.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '\'' || c == '"') {
                int close = i + 1;
                while (true) {
                    if (close >= line.length()) throw new TokenException(i, "no closing quotation for " + c + " opened here");
                    char d = line.charAt(close);
                    if (d == c) break;
                    if (c == '"' && d == '\\' && close + 1 < line.length()
                            && (line.charAt(close + 1) == '"' || line.charAt(close + 1) == '\\')) {
                        cur.append(line.charAt(close + 1));
                        close += 2;
                        continue;
                    }
                    cur.append(d);
                    close++;
                }
                i = close + 1;
            } else {
                cur.append(c);
                i++;
            }
        }
        if (start >= 0) out.add(new Token(cur.toString(), start));
        return out;
    }
}
