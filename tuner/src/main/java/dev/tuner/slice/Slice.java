package dev.tuner.slice;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of {@code count} parts of a fleet, numbered from 1 as people say it ({@code 2/3}). Hosts are
 * assigned by rendezvous (highest-random-weight) hashing of their inventory name: each host goes
 * to the slice whose weight for it is highest. A host's slice depends on its name and the count
 * alone, so adding or removing a host moves no other host, every play of a playbook puts a host in
 * the same slice, and going from N to N+1 slices moves only the hosts the new slice takes.
 *
 * <p>The weight of slice K for a host is the first 8 bytes of SHA-256 of {@code "K:NAME"} (UTF-8),
 * read as an unsigned number. It is part of the tool's contract: changing it would reshuffle every
 * sliced fleet.
 */
public record Slice(int index, int count) implements Comparable<Slice> {
    private static final Pattern SYNTAX = Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*");

    public Slice {
        if (count < 1) throw new IllegalArgumentException("slice count must be at least 1: " + count);
        if (index < 1 || index > count) throw new IllegalArgumentException("slice " + index + " is not between 1 and " + count);
    }

    /** The whole fleet: {@code 1/1}. */
    public static final Slice WHOLE = new Slice(1, 1);

    /** {@code K/N} with K from 1 to N; the message names what is wrong. */
    public static Slice parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) throw new IllegalArgumentException("'" + text + "' is not a slice: write K/N, e.g. 2/3 (K from 1 to N)");
        int k = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1) throw new IllegalArgumentException("'" + text + "': the number of slices must be at least 1");
        if (k < 1 || k > n) throw new IllegalArgumentException("'" + text + "': the slice must be from 1 to " + n + " (slices are numbered from 1)");
        return new Slice(k, n);
    }

    /** The slice (1 to {@code count}) a host of this name belongs to. */
    public static int of(String hostName, int count) {
        if (count == 1) return 1;
        byte[] name = hostName.getBytes(StandardCharsets.UTF_8);
        MessageDigest sha = sha256();
        int best = 1;
        long bestWeight = 0;
        for (int k = 1; k <= count; k++) {
            long w = weight(sha, k, name);
            if (k == 1 || Long.compareUnsigned(w, bestWeight) > 0) {
                best = k;
                bestWeight = w;
            }
        }
        return best;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static long weight(MessageDigest sha, int slice, byte[] name) {
        sha.update((slice + ":").getBytes(StandardCharsets.US_ASCII));
        byte[] d = sha.digest(name);
        long w = 0;
        for (int i = 0; i < 8; i++) w = (w << 8) | (d[i] & 0xff);
        return w;
    }

    public boolean contains(String hostName) {
        return count == 1 || of(hostName, count) == index;
    }

    /** The items of this slice, in their order. */
    public <T> List<T> select(List<T> hosts, Function<T, String> name) {
        if (count == 1) return List.copyOf(hosts);
        return hosts.stream().filter(h -> contains(name.apply(h))).toList();
    }

    public boolean isWhole() {
        return count == 1;
    }

    @Override
    public int compareTo(Slice o) {
        return count != o.count ? Integer.compare(count, o.count) : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
