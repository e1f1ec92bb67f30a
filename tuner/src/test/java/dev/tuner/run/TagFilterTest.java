package dev.tuner.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --tags / --skip-tags as ansible-playbook decides them (lib/ansible/playbook/taggable.py,
 * evaluate_tags): each row is a task's tags (play tags included), the command line, and whether
 * the task runs. '-' means none given.
 */
class TagFilterTest {
    private static List<String> words(String s) {
        return s.equals("-") ? List.of() : Arrays.asList(s.split(" "));
    }

    @ParameterizedTest(name = "task [{0}] --tags {1} --skip-tags {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # no selection: everything except 'never'
            -              | -              | -          | true
            memory         | -              | -          | true
            never          | -              | -          | false
            never debug    | -              | -          | false
            always         | -              | -          | true
            # --tags picks tasks sharing a tag
            memory         | memory         | -          | true
            memory disk    | disk           | -          | true
            network        | memory         | -          | false
            -              | memory         | -          | false
            memory         | cpu,memory     | -          | true
            # 'all' is every task but 'never' ones, unless a 'never' task is asked for by another tag
            memory         | all            | -          | true
            -              | all            | -          | true
            never          | all            | -          | false
            never debug    | all,debug      | -          | true
            never          | all,never      | -          | true
            always         | -              | all        | true
            memory         | -              | all        | false
            always         | -              | all,always | false
            # 'never' tasks run only when one of their tags is asked for
            never debug    | debug          | -          | true
            never          | never          | -          | true
            never debug    | memory         | -          | false
            # 'always' runs whatever --tags says, and only --skip-tags always (or its other tags) stops it
            always         | memory         | -          | true
            always cpu     | memory         | cpu        | false
            always         | memory         | always     | false
            always         | -              | memory     | true
            # tagged / untagged
            memory         | tagged         | -          | true
            -              | tagged         | -          | false
            never debug    | tagged         | -          | false
            -              | untagged       | -          | true
            memory         | untagged       | -          | false
            memory         | -              | tagged     | false
            -              | -              | tagged     | true
            -              | -              | untagged   | false
            memory         | -              | untagged   | true
            always         | -              | tagged     | false
            # --skip-tags wins over --tags
            memory disk    | memory         | disk       | false
            memory         | memory         | network    | true
            never debug    | debug          | never      | false
            memory         | -              | memory     | false
            network        | -              | memory     | true
            """)
    void selectsAsAnsibleDoes(String taskTags, String tags, String skip, boolean runs) {
        TagFilter f = TagFilter.of(words(tags), words(skip));
        assertThat(f.selects(words(taskTags))).isEqualTo(runs);
    }

    @ParameterizedTest(name = "--tags {0}")
    @CsvSource(delimiter = '|', textBlock = """
            memory,cpu
            ' memory , cpu '
            memory,,cpu
            """)
    void commaSeparatedListsAndRepeatsAreTheSame(String arg) {
        // -t memory,cpu, -t memory -t cpu and stray spaces or commas all select the same tasks.
        TagFilter f = TagFilter.of(List.of(arg), List.of());
        assertThat(f).isEqualTo(TagFilter.of(List.of("memory", "cpu"), List.of()));
        assertThat(f.selects(List.of("cpu"))).isTrue();
        assertThat(f.selects(List.of("network"))).isFalse();
    }
}
