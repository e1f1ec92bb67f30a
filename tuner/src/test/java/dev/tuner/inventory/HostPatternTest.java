package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.diag.TunerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pattern behaviour beyond what the Ansible comparison covers: limits, misses, the implicit localhost, bad input. */
class HostPatternTest {
    @TempDir
    Path base;

    Inventory inv;

    @BeforeEach
    void load() throws IOException {
        Files.writeString(base.resolve("hosts"), "[web]\nweb[1:3]\n[db]\ndb1\ndb2\n[all:vars]\ncolor=green\n");
        inv = Inventory.load(List.of("hosts"), base);
    }

    private List<String> names(String pattern, String limit) {
        return inv.match(pattern, limit).hostNames();
    }

    @Test
    void limitNarrowsThePatternWithTheSameEngine() {
        assertThat(names("all", null)).containsExactly("web1", "web2", "web3", "db1", "db2");
        assertThat(inv.select("all", "web:!web2")).extracting(Host::name).containsExactly("web1", "web3");
        assertThat(names("db", "web")).isEmpty();
    }

    @Test
    void partsMatchingNothingAreReportedByName() {
        PatternResult r = inv.match("web:dbz:&nothere", "web1,ghost");
        assertThat(r.unmatched()).containsExactly("dbz", "nothere", "ghost");
        assertThat(r.hosts()).isEmpty();
        assertThat(inv.match("web*:db", null).unmatched()).isEmpty();
    }

    @Test
    void localhostIsImplicitWhenNamedAndAbsent() {
        List<Host> hosts = inv.select("localhost");
        assertThat(hosts).hasSize(1);
        Host local = hosts.get(0);
        assertThat(local.isImplicit()).isTrue();
        assertThat(local.connection().isLocal()).isTrue();
        assertThat(local.vars()).containsEntry("ansible_connection", "local").containsEntry("color", "green");
        assertThat(inv.select("all")).extracting(Host::name).doesNotContain("localhost");
        assertThat(inv.host("localhost")).isEmpty();
    }

    @Test
    void aSubscriptBeyondTheMatchedHostsIsAnError() {
        assertThatThrownBy(() -> inv.select("web[7]"))
                .isInstanceOf(TunerException.class)
                .hasMessage("no host matched the subscripted pattern 'web[7]': 'web' has 3 hosts (indexes 0..2)");
    }

    @Test
    void anInvalidRegexIsAnErrorNamingIt() {
        assertThatThrownBy(() -> inv.select("~web(")).isInstanceOf(TunerException.class).hasMessageStartingWith("invalid host pattern '~web('");
    }

    @Test
    void splittingFollowsAnsible() {
        assertThat(HostPatterns.split("a:b,c")).containsExactly("a:b", "c");
        assertThat(HostPatterns.split("web[0:2]:&db:!x")).containsExactly("web[0:2]", "&db", "!x");
        assertThat(HostPatterns.split("fe80::1")).containsExactly("fe80::1");
    }
}
