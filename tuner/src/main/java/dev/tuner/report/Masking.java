package dev.tuner.report;

import dev.tuner.run.HostResult;
import dev.tuner.run.TaskResult;
import dev.tuner.settings.Change;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.Secrets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How every output format hides one host's secrets (see {@link Secrets}): a hidden value reads
 * {@link #HIDDEN}, a hidden file shows no diff, and the hidden values are cut out of messages and
 * notes wherever they appear in them. {@code --show-secrets} shows everything.
 */
public final class Masking {
    /** What a hidden value reads in every format. */
    public static final String HIDDEN = "(hidden)";
    /** What stands instead of the diff of a hidden file. */
    public static final String HIDDEN_DIFF = "(diff hidden: a no_log task's values or a file others may not read; --show-secrets shows it)";
    /**
     * Values shorter than this are hidden where they stand but not searched for in messages:
     * cutting every "1" out of a message would hide the message, not the secret.
     */
    static final int SHORTEST_SEARCHED = 3;

    private static final Masking NONE = new Masking(Secrets.NONE, List.of());

    private final Secrets secrets;
    /** The hidden values as this host's results hold them, longest first, for messages. */
    private final List<String> values;

    private Masking(Secrets secrets, List<String> values) {
        this.secrets = secrets;
        this.values = values;
    }

    /** What to hide on this host; nothing when {@code show} (--show-secrets). */
    public static Masking of(HostResult h, boolean show) {
        if (show || h.secrets().isEmpty()) return NONE;
        Set<String> values = new LinkedHashSet<>();
        for (TaskResult t : h.tasks()) {
            for (Change c : t.changes()) {
                for (String v : new String[] {c.current(), c.desired(), c.persisted()}) {
                    if (v != null && v.length() >= SHORTEST_SEARCHED && h.secrets().hides(c.key(), v)) values.add(v);
                }
            }
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Masking(h.secrets(), sorted);
    }

    /** True when some value of this change is hidden. */
    public boolean hides(Change c) {
        return secrets.hides(c);
    }

    /** True when this file's diff is hidden. */
    public boolean hides(FileChange f) {
        return secrets.hides(f);
    }

    /** A value of a change as shown: {@link #HIDDEN} when hidden (null stays null: "no value" is not a secret). */
    public String value(Change c, String v) {
        return v != null && secrets.hides(c.key(), v) ? HIDDEN : v;
    }

    /** A message or note with every hidden value cut out. */
    public String text(String s) {
        if (s == null || values.isEmpty()) return s;
        String out = s;
        for (String v : values) out = out.replace(v, HIDDEN);
        return out;
    }

    public List<String> texts(List<String> list) {
        return values.isEmpty() ? list : list.stream().map(this::text).toList();
    }

    /** The unified diff of a file as shown: {@link #HIDDEN_DIFF} (one line) when hidden. */
    public String diff(FileChange f) {
        return hides(f) ? HIDDEN_DIFF + "\n" : FileDiff.unified(f);
    }
}
