package dev.tuner.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a run's slice comes from, with each scheduler's own counting (Kubernetes and CircleCI from 0, GitLab from 1). */
class SliceChoiceTest {
    @Test
    void theOptionWinsOverTheEnvironment() {
        SliceChoice c = SliceChoice.choose("2/5", null, Map.of("JOB_COMPLETION_INDEX", "0", "CI_NODE_INDEX", "1", "CI_NODE_TOTAL", "3"));
        assertThat(c.slice()).isEqualTo(new Slice(2, 5));
        assertThat(c.source()).isEqualTo("--slice");
        assertThat(SliceChoice.choose("1/1", null, Map.of("CI_NODE_INDEX", "2", "CI_NODE_TOTAL", "3")).sliced()).as("1/1 runs every host").isEmpty();
    }

    @Test
    void nothingSetRunsEveryHost() {
        assertThat(SliceChoice.choose(null, null, Map.of()).slice()).isEqualTo(Slice.WHOLE);
        // GitLab sets CI_NODE_TOTAL=1 on every job without `parallel:`, and no CI_NODE_INDEX.
        assertThat(SliceChoice.choose(null, null, Map.of("CI_NODE_TOTAL", "1")).slice()).isEqualTo(Slice.WHOLE);
    }

    @Test
    void kubernetesIndexedJobsCountFromZeroAndNeedTheCount() {
        assertThat(SliceChoice.choose(null, 3, Map.of("JOB_COMPLETION_INDEX", "0")).slice()).isEqualTo(new Slice(1, 3));
        assertThat(SliceChoice.choose(null, 3, Map.of("JOB_COMPLETION_INDEX", "2")).slice()).isEqualTo(new Slice(3, 3));
        SliceChoice fromEnv = SliceChoice.choose(null, null, Map.of("JOB_COMPLETION_INDEX", "1", "TUNER_SLICES", "4"));
        assertThat(fromEnv.slice()).isEqualTo(new Slice(2, 4));
        assertThat(fromEnv.source()).isEqualTo("JOB_COMPLETION_INDEX and TUNER_SLICES");
        assertThatThrownBy(() -> SliceChoice.choose(null, null, Map.of("JOB_COMPLETION_INDEX", "1")))
                .hasMessageContaining("--slices N").hasMessageContaining("TUNER_SLICES").hasMessageContaining("--slice 1/1");
        assertThatThrownBy(() -> SliceChoice.choose(null, 3, Map.of("JOB_COMPLETION_INDEX", "3")))
                .hasMessageContaining("JOB_COMPLETION_INDEX=3").hasMessageContaining("completions");
        assertThatThrownBy(() -> SliceChoice.choose(null, 3, Map.of("JOB_COMPLETION_INDEX", "x"))).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> SliceChoice.choose(null, 3, Map.of())).hasMessageContaining("--slices 3 needs JOB_COMPLETION_INDEX");
        assertThatThrownBy(() -> SliceChoice.choose("1/3", 3, Map.of())).hasMessageContaining("leave out --slices");
    }

    @Test
    void ciMatrixVariablesWithTheirOwnBase() {
        assertThat(SliceChoice.choose(null, null, Map.of("CI_NODE_INDEX", "1", "CI_NODE_TOTAL", "3")).slice()).isEqualTo(new Slice(1, 3));
        assertThat(SliceChoice.choose(null, null, Map.of("CI_NODE_INDEX", "3", "CI_NODE_TOTAL", "3")).slice()).isEqualTo(new Slice(3, 3));
        assertThatThrownBy(() -> SliceChoice.choose(null, null, Map.of("CI_NODE_INDEX", "0", "CI_NODE_TOTAL", "3")))
                .hasMessageContaining("GitLab CI, index from 1");
        assertThat(SliceChoice.choose(null, null, Map.of("CIRCLE_NODE_INDEX", "0", "CIRCLE_NODE_TOTAL", "2")).slice()).isEqualTo(new Slice(1, 2));
        assertThat(SliceChoice.choose(null, null, Map.of("BUILDKITE_PARALLEL_JOB", "4", "BUILDKITE_PARALLEL_JOB_COUNT", "5")).slice())
                .isEqualTo(new Slice(5, 5));
        assertThat(SliceChoice.choose(null, null, Map.of("BUILDKITE_PARALLEL_JOB", "4", "BUILDKITE_PARALLEL_JOB_COUNT", "5")).source())
                .contains("Buildkite");
    }
}
