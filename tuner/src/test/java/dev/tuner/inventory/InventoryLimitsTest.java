package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host cap holds for all ranges and sources together, and a pattern beyond it is refused
 * before it is expanded. The timeouts only keep a regression from hanging the build (the old
 * expansion took minutes on these inputs); they are not speed targets.
 */
class InventoryLimitsTest {
    @TempDir
    Path dir;

    private List<Problem> errors(String... specs) {
        Diagnostics diags = new Diagnostics();
        assertThat(Inventory.validate(List.of(specs), dir, diags)).as("refused").isEmpty();
        return diags.all().stream().filter(Problem::isError).toList();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPatternWhoseRangesMultiplyBeyondTheCapIsRefusedNamingPatternAndCap() throws Exception {
        Files.writeString(dir.resolve("hosts.ini"), "[web]\nh[0:999]x[0:999]\n");
        List<Problem> errors = errors("hosts.ini");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).location().line()).isEqualTo(2);
        assertThat(errors.get(0).message())
                .contains("'h[0:999]x[0:999]'").contains("1000000 hosts").contains("at most 100000 hosts");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theCapCountsEverySourceTogether() throws Exception {
        Files.writeString(dir.resolve("a.yml"), "all:\n  hosts:\n    a[0:59999]:\n");
        Files.writeString(dir.resolve("b.ini"), "[b]\nb[0:59999]\n");
        List<Problem> errors = errors("a.yml", "b.ini");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).location().file()).isEqualTo("b.ini");
        assertThat(errors.get(0).message()).contains("'b[0:59999]'").contains("beyond 100000 hosts").contains("all -i sources together");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void inlineHostListsCountToo() {
        List<Problem> errors = errors("x[0:99999],y[0:9],");
        assertThat(errors).singleElement().satisfies(p -> assertThat(p.message()).contains("'y[0:9]'").contains("beyond 100000 hosts"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theSameHostsNamedAgainInOtherGroupsAreNotNewHosts() throws Exception {
        Files.writeString(dir.resolve("hosts.ini"), "[web]\nn[00000:59999]\n[db]\nn[00000:59999]\n");
        Inventory inv = Inventory.load(List.of("hosts.ini"), dir);
        assertThat(inv.hosts()).hasSize(60_000);
        assertThat(inv.hostsOf("db")).hasSize(60_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hostEntriesAreCappedTooSoRepeatingAPatternCannotBuryTheMachine() throws Exception {
        StringBuilder ini = new StringBuilder();
        for (int g = 0; g < 11; g++) ini.append("[g").append(g).append("]\nn[0:99999]\n");
        Files.writeString(dir.resolve("hosts.ini"), ini.toString());
        List<Problem> errors = errors("hosts.ini");
        assertThat(errors).singleElement().satisfies(p -> {
            assertThat(p.location().line()).isEqualTo(22);
            assertThat(p.message()).contains("beyond 1000000 host entries");
        });
    }
}
