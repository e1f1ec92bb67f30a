package dev.tuner.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.playbook.Play;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.KindPlan;
import dev.tuner.verify.Design;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which design a host's changes allow: what each change costs, what the handlers its tasks notify
 * do, what the play asks for, and whether controls are there. Plans are built as kinds report
 * them (a change with its cost); plays are parsed from YAML.
 */
class DesignChoiceTest {
    @TempDir
    Path dir;

    private static final List<Target> CONTROL = List.of(new Target("spare1", Map.of(), List.of()));

    private Play play(String verify, String handlerState) throws Exception {
        Path p = dir.resolve("p" + System.nanoTime() + ".yml");
        Files.writeString(p, """
                - hosts: all
                  verify: {%s}
                  tasks:
                    - name: the change
                      notify: the handler
                      sysctl: {vm.swappiness: 10}
                  handlers:
                    - name: the handler
                      service: {name: svc, state: %s}
                """.formatted(verify, handlerState));
        return PlaybookParser.load(p).plays().get(0);
    }

    private static Map<String, KindPlan> changing(Cost cost) {
        Change c = new Change(0, "sysctl", "vm.swappiness", "60", "10", null, ChangeState.CHANGE, cost, null);
        return Map.of("sysctl", new KindPlan("sysctl", List.of(c), List.of(), List.of()));
    }

    private static final Map<String, KindPlan> NOTHING = Map.of("sysctl", new KindPlan("sysctl",
            List.of(new Change(0, "sysctl", "vm.swappiness", "10", "10", null, ChangeState.OK, Cost.LIVE, null)), List.of(), List.of()));

    @Test
    void liveAndReloadChangesAreToggledWithControlsAsAGuard() throws Exception {
        DesignChoice live = DesignChoice.choose(changing(Cost.LIVE), play("", "reloaded"), CONTROL, null);
        assertThat(live.design()).isEqualTo(Design.INTERLEAVED);
        assertThat(live.controls()).extracting(Target::name).containsExactly("spare1");
        assertThat(live.why()).isEqualTo("the changes are toggled in rounds: reloads; spare1 measured beside it at the same moments");
        assertThat(DesignChoice.choose(changing(Cost.RELOAD), play("", "reloaded"), List.of(), null).design()).isEqualTo(Design.INTERLEAVED);
    }

    @Test
    void aRestartIsToggledOnlyWhenThePlayAllowsIt() throws Exception {
        DesignChoice restart = DesignChoice.choose(changing(Cost.LIVE), play("", "restarted"), CONTROL, null);
        assertThat(restart.design()).isEqualTo(Design.CONTROL);
        assertThat(restart.why()).startsWith("not toggled: handler 'the handler' restarts svc (verify: {toggle_restarts: true} allows toggling it)");
        assertThat(DesignChoice.choose(changing(Cost.RESTART), play("toggle_restarts: true", "reloaded"), CONTROL, null).design())
                .isEqualTo(Design.INTERLEAVED);
    }

    @Test
    void aPowerCycleOrANextBootChangeIsNeverToggled() throws Exception {
        for (Cost c : List.of(Cost.POWER_CYCLE, Cost.NEXT_BOOT)) {
            DesignChoice withControl = DesignChoice.choose(changing(c), play("toggle_restarts: true, design: interleaved", "reloaded"), CONTROL, null);
            assertThat(withControl.design()).as("%s with a control", c).isEqualTo(Design.CONTROL);
            assertThat(withControl.why()).startsWith("design: interleaved was asked, but not toggled: sysctl vm.swappiness costs a " + c.label());
            DesignChoice alone = DesignChoice.choose(changing(c), play("toggle_restarts: true", "reloaded"), List.of(), null);
            assertThat(alone.design()).as("%s without a control", c).isEqualTo(Design.BEFORE_AFTER);
            assertThat(alone.why()).startsWith("before/after only: an environment shift between the phases cannot be ruled out")
                    .contains("no control host");
        }
    }

    @Test
    void thePlayMayAskForAWeakerDesignAndAPatternThatMatchesNothingIsNamed() throws Exception {
        assertThat(DesignChoice.choose(changing(Cost.LIVE), play("design: control", "reloaded"), CONTROL, null).design()).isEqualTo(Design.CONTROL);
        DesignChoice ba = DesignChoice.choose(changing(Cost.LIVE), play("design: before-after", "reloaded"), CONTROL, null);
        assertThat(ba.design()).isEqualTo(Design.BEFORE_AFTER);
        assertThat(ba.controls()).isEmpty();
        DesignChoice unmatched = DesignChoice.choose(changing(Cost.RESTART), play("control: spare*", "reloaded"), List.of(), "spare*");
        assertThat(unmatched.why()).contains("the control pattern 'spare*' matches no host outside this batch");
    }

    @Test
    void tasksThatChangeNothingDoNotCount() throws Exception {
        assertThat(DesignChoice.toggleCost(NOTHING, play("", "restarted")).cost()).isEqualTo(Cost.NONE);
    }
}
