package dev.tuner.diag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes a text file's bytes (as {@code dev.tuner.yaml.InputFile} reads them) as UTF-8 and, when
 * they are not, says where: the line and column of the first byte that is not UTF-8 (Java's own
 * message, "Input length = 1", names neither).
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** A file that is not UTF-8: where the first bad byte is, the column counted in characters as editors count them. */
    public static final class MalformedException extends IOException {
        private final int line;
        private final int column;

        MalformedException(int line, int column, String message) {
            super(message);
            this.line = line;
            this.column = column;
        }

        public Location at(String file) {
            return new Location(file, line, column);
        }
    }

    public static String decode(byte[] bytes) throws MalformedException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (!r.isError()) return out.flip().toString();
        int line = 1;
        int column = 1;
        out.flip();
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
        StringBuilder seen = new StringBuilder();
        for (int i = in.position(); i < Math.min(bytes.length, in.position() + r.length()); i++) {
            seen.append(seen.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xff));
        }
        return throwAt(line, column, "not valid UTF-8 (byte " + seen + "): save the file as UTF-8");
    }

    private static String throwAt(int line, int column, String message) throws MalformedException {
        throw new MalformedException(line, column, message);
    }
}
