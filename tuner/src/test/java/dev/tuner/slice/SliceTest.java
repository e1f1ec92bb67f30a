package dev.tuner.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The properties slicing promises, over thousands of host names of the shapes inventories have:
 * every host in exactly one slice, a host added or removed moves no other host, one more slice
 * takes hosts only into itself, and slices are about the same size.
 */
class SliceTest {
    private static final int HOSTS = 3000;

    static List<String> names(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(switch (i % 4) {
                case 0 -> "db%04d.example.com".formatted(i);
                case 1 -> "web-" + Integer.toHexString(r.nextInt()) + ".dc" + (i % 7);
                case 2 -> "10.%d.%d.%d".formatted(r.nextInt(256), r.nextInt(256), r.nextInt(256));
                default -> "höst_" + i; // names are UTF-8
            });
        }
        return out;
    }

    /** Each host's slice, read through {@link Slice#select} as the commands use it. */
    static Map<String, Integer> assignment(List<String> hosts, int count) {
        Map<String, Integer> out = new HashMap<>();
        for (int k = 1; k <= count; k++) {
            for (String h : new Slice(k, count).select(hosts, Function.identity())) {
                assertThat(out.put(h, k)).as("%s in slice %d and another", h, k).isNull();
            }
        }
        assertThat(out.keySet()).as("every host is in a slice").containsExactlyInAnyOrderElementsOf(hosts);
        return out;
    }

    @Test
    void addingOrRemovingAHostMovesNoOtherHost() {
        List<String> hosts = names(600, 1);
        for (int n : new int[] {2, 3, 7}) {
            Map<String, Integer> before = assignment(hosts, n);
            for (String extra : names(8, 100 + n)) {
                List<String> more = new ArrayList<>(hosts);
                more.add(hosts.size() / 2, "new-" + extra);
                Map<String, Integer> after = assignment(more, n);
                for (String h : hosts) assertThat(after.get(h)).as("%s with %s added, %d slices", h, extra, n).isEqualTo(before.get(h));
            }
            List<String> fewer = new ArrayList<>(hosts);
            fewer.remove(17);
            Map<String, Integer> after = assignment(fewer, n);
            for (String h : fewer) assertThat(after.get(h)).as("%s with a host removed", h).isEqualTo(before.get(h));
        }
    }

    @Test
    void theOrderOfTheInventoryDoesNotMatterAndSelectKeepsIt() {
        List<String> hosts = names(500, 2);
        List<String> shuffled = new ArrayList<>(hosts);
        java.util.Collections.shuffle(shuffled, new Random(3));
        assertThat(assignment(shuffled, 5)).isEqualTo(assignment(hosts, 5));
        List<String> mine = new Slice(2, 5).select(hosts, Function.identity());
        assertThat(mine).isEqualTo(hosts.stream().filter(mine::contains).toList());
    }

    @Test
    void oneMoreSliceTakesHostsOnlyIntoItselfAboutItsShare() {
        List<String> hosts = names(HOSTS, 4);
        for (int n = 1; n <= 4; n++) {
            Map<String, Integer> before = assignment(hosts, n);
            Map<String, Integer> after = assignment(hosts, n + 1);
            int moved = 0;
            for (String h : hosts) {
                if (!after.get(h).equals(before.get(h))) {
                    assertThat(after.get(h)).as("%s moved from %d to an old slice", h, before.get(h)).isEqualTo(n + 1);
                    moved++;
                }
            }
            double share = (double) HOSTS / (n + 1);
            double sd = Math.sqrt(HOSTS * (1.0 / (n + 1)) * (1 - 1.0 / (n + 1)));
            assertThat((double) moved).as("hosts moving to the new slice %d/%d", n + 1, n + 1).isBetween(share - 5 * sd, share + 5 * sd);
        }
    }

    @Test
    void slicesAreAboutTheSameSize() {
        List<String> hosts = names(HOSTS, 5);
        for (int n : new int[] {2, 3, 5}) {
            Map<Integer, Integer> sizes = new HashMap<>();
            assignment(hosts, n).values().forEach(k -> sizes.merge(k, 1, Integer::sum));
            double expected = (double) HOSTS / n;
            // A host lands in a slice with probability 1/n: binomial sizes, allowed 5 standard deviations either way.
            double sd = Math.sqrt(HOSTS * (1.0 / n) * (1 - 1.0 / n));
            sizes.forEach((k, size) -> assertThat((double) size).as("slice %d/%d", k, n).isBetween(expected - 5 * sd, expected + 5 * sd));
        }
    }

    @Test
    void theWeightIsTheDocumentedOne() throws Exception {
        // "The weight of slice K for a host is the first 8 bytes of SHA-256 of "K:NAME" (UTF-8), unsigned": computed here with the JDK directly.
        for (String h : names(300, 6)) {
            int best = 0;
            java.math.BigInteger bestW = null;
            for (int k = 1; k <= 4; k++) {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest((k + ":" + h).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                java.math.BigInteger w = new java.math.BigInteger(1, java.util.Arrays.copyOf(d, 8));
                if (bestW == null || w.compareTo(bestW) > 0) {
                    best = k;
                    bestW = w;
                }
            }
            assertThat(Slice.of(h, 4)).as(h).isEqualTo(best);
        }
    }

    @Test
    void parseTakesKOfNAndNamesWhatIsWrong() {
        assertThat(Slice.parse("2/3")).isEqualTo(new Slice(2, 3));
        assertThat(Slice.parse(" 1 / 1 ")).isEqualTo(Slice.WHOLE);
        assertThat(Slice.parse("3/3").toString()).isEqualTo("3/3");
        assertThatThrownBy(() -> Slice.parse("0/3")).hasMessageContaining("from 1 to 3").hasMessageContaining("numbered from 1");
        assertThatThrownBy(() -> Slice.parse("4/3")).hasMessageContaining("from 1 to 3");
        assertThatThrownBy(() -> Slice.parse("1/0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Slice.parse("2")).hasMessageContaining("write K/N");
        assertThatThrownBy(() -> Slice.parse("a/b")).hasMessageContaining("write K/N");
    }
}
