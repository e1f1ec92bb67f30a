package dev.tuner.transport.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import dev.tuner.transport.TransportException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An OpenSSH known_hosts file as JSch's host key repository. Our own rather than JSch's
 * {@code KnownHosts} because a refusal must name the file and line of the entry that disagrees, and
 * a host never seen must be refused with advice rather than with "reject HostKey".
 *
 * <p>Understands what ssh writes and reads: plain and hashed ({@code |1|salt|hmac}) host fields,
 * comma lists with {@code *}/{@code ?} wildcards and {@code !} negation, {@code [host]:port} for
 * ports other than 22, {@code @revoked} lines. {@code @cert-authority} lines are skipped: host
 * certificates are not supported.
 *
 * <p>Used by one connection: {@link #check} leaves a {@link #refusal()} for the caller to report,
 * since JSch turns a refusal into a terse exception of its own.
 */
public final class KnownHostsFile implements HostKeyRepository {
    private static final Object APPEND_LOCK = new Object();

    private final Path file;
    private final boolean acceptNew;
    private final String hostLabel;
    private volatile String refusal;
    private volatile boolean recorded;

    /**
     * @param hostLabel how messages name the host (its inventory name)
     * @param acceptNew trust and record a host that has no entry yet; changed keys are refused regardless
     */
    public KnownHostsFile(Path file, boolean acceptNew, String hostLabel) {
        this.file = file;
        this.acceptNew = acceptNew;
        this.hostLabel = hostLabel;
    }

    public Path file() {
        return file;
    }

    /** Why the last {@link #check} refused the host, in words for the user; null if it did not. */
    public String refusal() {
        return refusal;
    }

    /** Whether a key was added to the file by trust on first use. */
    public boolean recorded() {
        return recorded;
    }

    /** OpenSSH's fingerprint format: {@code SHA256:} and unpadded base64 of the key blob's digest. */
    public static String fingerprint(byte[] keyBlob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The algorithm name a key blob starts with, as in known_hosts ({@code ssh-ed25519}, {@code ssh-rsa}). */
    public static String keyType(byte[] keyBlob) {
        ByteBuffer b = ByteBuffer.wrap(keyBlob);
        if (b.remaining() < 4) return "unknown";
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) return "unknown";
        return new String(keyBlob, 4, len, StandardCharsets.US_ASCII);
    }

    /**
     * The verdict OpenSSH gives (sshconnect.c check_host_key, hostfile.c check_key_in_hostkeys):
     * a key an {@code @revoked} line for the host names is refused wherever that line stands; else
     * a line with this very key lets the host in; else any other key for the host, of whatever
     * type, means the key CHANGED. Only a host with no key at all is new: one on a port other than
     * 22 is let in when its name without the port has this key (as ssh does, without recording
     * it), and only then does accept-new record the key.
     */
    @Override
    public int check(String host, byte[] key) {
        refusal = null;
        String type = keyType(key);
        String offered = type + " key " + fingerprint(key);
        String who = hostLabel.equals(host) ? host : hostLabel + " (" + host + ")";
        List<Entry> entries = read();
        Known known = known(entries, host, key);
        if (known.revoked() != null) {
            refusal = "host key of " + who + " is revoked: the server offered " + offered
                    + ", which " + file + " line " + known.revoked().line() + " marks @revoked";
            return CHANGED;
        }
        if (known.trusted() != null) return OK;
        Entry other = known.other();
        if (other != null) {
            refusal = "host key of " + who + " has CHANGED: the server offered " + offered + ", but " + file
                    + " line " + other.line() + " has a different " + other.type() + " key for it"
                    + (other.type().equals(type) ? "." : " (a host whose key type changed counts as changed, as in OpenSSH).")
                    + " Someone may be intercepting the connection, or the host was reinstalled;"
                    + " if you trust the new key, remove the old one: ssh-keygen -R '" + host + "' -f " + file;
            return CHANGED;
        }
        String withoutPort = withoutPort(host);
        if (withoutPort != null) {
            Known bare = known(entries, withoutPort, key);
            if (bare.trusted() != null && bare.revoked() == null) return OK;
        }
        if (acceptNew) {
            append(host, key);
            return OK;
        }
        refusal = "host key of " + who + " is unknown: the server offered " + offered + " and " + file
                + " has no entry for it. Check the fingerprint and add the key to known_hosts (ssh-keyscan), or run with"
                + " --accept-new-host-keys to trust it on first use";
        return NOT_INCLUDED;
    }

    /**
     * What the file says about one key for one host name: the line revoking it, the line trusting
     * it, or another key the host has (one of the offered type preferred, to name in the message).
     */
    private record Known(Entry revoked, Entry trusted, Entry other) {}

    private static Known known(List<Entry> entries, String host, byte[] key) {
        String type = keyType(key);
        Entry revoked = null;
        Entry trusted = null;
        Entry other = null;
        for (Entry e : entries) {
            if (e.certAuthority() || !e.matches(host)) continue;
            boolean same = Arrays.equals(e.key(), key);
            if (e.revoked()) {
                if (same && revoked == null) revoked = e;
            } else if (same) {
                if (trusted == null) trusted = e;
            } else if (other == null || !other.type().equals(type) && e.type().equals(type)) {
                other = e;
            }
        }
        return new Known(revoked, trusted, other);
    }

    /** {@code name} of {@code [name]:port} when the port is not 22; null otherwise. */
    private static String withoutPort(String host) {
        if (!host.startsWith("[")) return null;
        int close = host.lastIndexOf("]:");
        if (close < 0 || host.substring(close + 2).equals("22")) return null;
        return host.substring(1, close);
    }

    private void append(String host, byte[] key) {
        String line = host + " " + keyType(key) + " " + Base64.getEncoder().encodeToString(key) + "\n";
        // Forks connect to many new hosts at once; appends must not interleave.
        synchronized (APPEND_LOCK) {
            try {
                if (file.getParent() != null) Files.createDirectories(file.getParent());
                String prefix = "";
                if (Files.exists(file)) {
                    byte[] old = Files.readAllBytes(file);
                    if (old.length > 0 && old[old.length - 1] != '\n') prefix = "\n";
                }
                Files.writeString(file, prefix + line, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                recorded = true;
            } catch (IOException e) {
                throw new TransportException("cannot record the host key of " + hostLabel + " in " + file + ": " + e, e);
            }
        }
    }

    private List<Entry> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new TransportException("cannot read known hosts file " + file + ": " + e, e);
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Entry e = Entry.parse(i + 1, lines.get(i));
            if (e != null) out.add(e);
        }
        return out;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // JSch calls this only for StrictHostKeyChecking=no/ask, which we never set; trust on first
        // use goes through check(), where the refusal or the recording happens.
        try {
            append(hostkey.getHost(), Base64.getDecoder().decode(hostkey.getKey()));
        } catch (IllegalArgumentException e) {
            throw new TransportException("bad host key for " + hostkey.getHost(), e);
        }
    }

    @Override
    public void remove(String host, String type) {
        throw new UnsupportedOperationException("tuner never deletes known_hosts entries; use ssh-keygen -R");
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        throw new UnsupportedOperationException("tuner never deletes known_hosts entries; use ssh-keygen -R");
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return hostKeys(null, null);
    }

    /** JSch asks this to prefer, in the key exchange, the key types known for the host. */
    @Override
    public HostKey[] getHostKey(String host, String type) {
        return hostKeys(host, type);
    }

    private HostKey[] hostKeys(String host, String type) {
        List<HostKey> out = new ArrayList<>();
        for (Entry e : read()) {
            if (e.certAuthority() || e.revoked()) continue;
            if (host != null && !e.matches(host)) continue;
            if (type != null && !e.type().equals(type)) continue;
            try {
                out.add(new HostKey("", host != null ? host : e.hosts(), HostKey.GUESS, e.key(), null));
            } catch (JSchException unsupportedType) {
                // e.g. a security-key type JSch cannot verify: it can never match, so leave it out
            }
        }
        return out.toArray(new HostKey[0]);
    }

    /** One line of the file. */
    record Entry(int line, String marker, String hosts, String type, byte[] key) {
        static Entry parse(int line, String text) {
            String t = text.strip();
            if (t.isEmpty() || t.startsWith("#")) return null;
            String[] f = t.split("\\s+");
            int i = 0;
            String marker = "";
            if (f[0].startsWith("@")) marker = f[i++];
            if (f.length < i + 3) return null;
            try {
                return new Entry(line, marker, f[i], f[i + 1], Base64.getDecoder().decode(f[i + 2]));
            } catch (IllegalArgumentException badBase64) {
                return null; // ssh ignores such lines too
            }
        }

        boolean revoked() {
            return "@revoked".equals(marker);
        }

        boolean certAuthority() {
            return "@cert-authority".equals(marker);
        }

        boolean matches(String host) {
            if (hosts.startsWith("|1|")) return hashedMatch(hosts, host);
            boolean positive = false;
            for (String p : hosts.split(",")) {
                boolean negated = p.startsWith("!");
                if (negated) p = p.substring(1);
                if (glob(p.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT))) {
                    if (negated) return false;
                    positive = true;
                }
            }
            return positive;
        }

        private static boolean hashedMatch(String field, String host) {
            String[] parts = field.split("\\|"); // "", "1", salt, hmac
            if (parts.length != 4) return false;
            try {
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] expected = Base64.getDecoder().decode(parts[3]);
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(salt, "HmacSHA1"));
                return MessageDigest.isEqual(expected, mac.doFinal(host.getBytes(StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                return false;
            }
        }

        /** OpenSSH's host pattern: {@code *} any run, {@code ?} one character. */
        static boolean glob(String pattern, String s) {
            int p = 0, i = 0, starP = -1, starI = 0;
            while (i < s.length()) {
                if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == s.charAt(i))) {
                    p++;
                    i++;
                } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                    starP = p++;
                    starI = i;
                } else if (starP >= 0) {
                    p = starP + 1;
                    i = ++starI;
                } else {
                    return false;
                }
            }
            while (p < pattern.length() && pattern.charAt(p) == '*') p++;
            return p == pattern.length();
        }
    }
}
