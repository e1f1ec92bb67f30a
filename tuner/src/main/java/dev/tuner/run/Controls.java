package dev.tuner.run;

import dev.tuner.playbook.Play;
import dev.tuner.playbook.VerifyKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The control hosts of one batch: hosts that are not changed while the batch's hosts are, and run
 * the same benchmarks at the same moments (see {@link Lockstep}). Where they come from:
 * <ul>
 *   <li>{@code verify: {control: PATTERN}}: the hosts of the pattern, from the whole inventory
 *       ({@code --limit} narrows the hosts that change, not those that watch), leaving out the
 *       batch's own hosts; each changed host is measured beside all of them;</li>
 *   <li>otherwise, with {@code serial}: the hosts of the later batches, then those of the earlier
 *       ones (done with, so not changing either); each changed host gets one, in turn;</li>
 *   <li>{@code control: none}, or neither: no controls.</li>
 * </ul>
 * A control serves one changed host at a time: a changed host holds its controls' locks while it
 * measures, so a control never runs two benchmarks at once.
 */
final class Controls {
    static final Controls NONE = new Controls(Map.of(), null, null);

    private final Map<String, List<Target>> byHost;
    private final Function<Target, HostSession> sessions;
    private final String unmatchedPattern;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private Controls(Map<String, List<Target>> byHost, Function<Target, HostSession> sessions, String unmatchedPattern) {
        this.byHost = byHost;
        this.sessions = sessions;
        this.unmatchedPattern = unmatchedPattern;
    }

    /**
     * The controls of batch {@code index} of a play.
     *
     * @param selector picks a control pattern's hosts from the whole inventory
     * @param sessions the run's session of a host (one per host for the whole run)
     */
    static Controls forBatch(Play play, List<List<Target>> batches, int index, Runner.HostSelector selector,
                             Function<Target, HostSession> sessions) {
        String pattern = VerifyKeys.text(VerifyKeys.of(play), VerifyKeys.CONTROL);
        if (VerifyKeys.NO_CONTROL.equals(pattern)) return NONE;
        List<Target> batch = batches.get(index);
        Set<String> changing = batch.stream().map(Target::name).collect(Collectors.toSet());
        Map<String, List<Target>> byHost = new LinkedHashMap<>();
        if (pattern != null) {
            List<Target> named = selector.controls(pattern).hosts().stream().filter(t -> !changing.contains(t.name())).toList();
            for (Target t : batch) byHost.put(t.name(), named);
            return new Controls(byHost, sessions, named.isEmpty() ? pattern : null);
        }
        if (play.serial().isEmpty()) return NONE;
        List<Target> pool = new ArrayList<>();
        for (int i = index + 1; i < batches.size(); i++) pool.addAll(batches.get(i));
        for (int i = 0; i < index; i++) pool.addAll(batches.get(i));
        if (pool.isEmpty()) return NONE;
        for (int i = 0; i < batch.size(); i++) byHost.put(batch.get(i).name(), List.of(pool.get(i % pool.size())));
        return new Controls(byHost, sessions, null);
    }

    /** The controls of one changed host, in name order. */
    List<Target> of(String host) {
        return byHost.getOrDefault(host, List.of()).stream().sorted(Comparator.comparing(Target::name)).toList();
    }

    /** A pattern given with {@code control:} that matched no host outside the batch, or null. */
    String unmatchedPattern() {
        return unmatchedPattern;
    }

    HostSession session(Target control) {
        return sessions.apply(control);
    }

    /** Takes the locks of {@code controls} (in name order, so two changed hosts never wait for each other). */
    void acquire(List<Target> controls) {
        for (Target t : controls) lock(t).lock();
    }

    void release(List<Target> controls) {
        for (int i = controls.size() - 1; i >= 0; i--) {
            ReentrantLock l = lock(controls.get(i));
            if (l.isHeldByCurrentThread()) l.unlock();
        }
    }

    private ReentrantLock lock(Target t) {
        return locks.computeIfAbsent(t.name(), k -> new ReentrantLock(true));
    }
}
