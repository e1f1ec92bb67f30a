package dev.tuner.settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which values must not be shown: those of {@code no_log} tasks and the contents of files whose
 * mode denies other users reading them. Each is kept as the SHA-256 of its key (a setting's key,
 * a file's path) and its value, never as the value: so the journal can record what to hide, and a
 * rollback run from it hides the same values, though every change is rebuilt from the journal. A
 * value is hidden for the key it belongs to only: {@code 10} of a {@code no_log} sysctl does not
 * hide {@code vm.swappiness = 10}.
 */
public final class Secrets {
    public static final Secrets NONE = new Secrets(Set.of());

    private final Set<String> hashes;

    private Secrets(Set<String> hashes) {
        this.hashes = Set.copyOf(hashes);
    }

    /** From hashes made by {@link #hashes()} (as the journal keeps them). */
    public static Secrets ofHashes(Collection<String> hashes) {
        return hashes == null || hashes.isEmpty() ? NONE : new Secrets(new LinkedHashSet<>(hashes));
    }

    /** True when {@code value} of {@code key} is to be hidden. */
    public boolean hides(String key, String value) {
        return value != null && !hashes.isEmpty() && hashes.contains(hash(key, value));
    }

    /** True when any value of this change is to be hidden. */
    public boolean hides(Change c) {
        return hides(c.key(), c.current()) || hides(c.key(), c.desired()) || hides(c.key(), c.persisted());
    }

    /** True when either content of this file is to be hidden. */
    public boolean hides(FileChange f) {
        return hides(f.path(), f.before()) || hides(f.path(), f.after());
    }

    public boolean isEmpty() {
        return hashes.isEmpty();
    }

    /** The hashes, sorted, for the journal. */
    public List<String> hashes() {
        return hashes.stream().sorted().toList();
    }

    public Secrets plus(Secrets other) {
        if (other.isEmpty()) return this;
        Set<String> all = new LinkedHashSet<>(hashes);
        all.addAll(other.hashes);
        return new Secrets(all);
    }

    private static String hash(String key, String value) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest((key + "\u0000" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Collects the values to hide. */
    public static final class Builder {
        private final Set<String> hashes = new LinkedHashSet<>();

        public Builder add(String key, String value) {
            if (value != null) hashes.add(hash(key, value));
            return this;
        }

        /** Every value of a change: running, wanted, persisted. */
        public Builder add(Change c) {
            return add(c.key(), c.current()).add(c.key(), c.desired()).add(c.key(), c.persisted());
        }

        /** Both contents of a file. */
        public Builder add(FileChange f) {
            return add(f.path(), f.before()).add(f.path(), f.after());
        }

        public Secrets build() {
            return hashes.isEmpty() ? NONE : new Secrets(hashes);
        }
    }
}
