package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.report.MarkdownReport;
import dev.tuner.report.Style;
import dev.tuner.report.TextReport;
import dev.tuner.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every report says how a host was measured: the apply of {@link JsonOutputDocTest#verifiedApply()}
 * (a latency regression found in 8 interleaved rounds beside control db2, and a benchmark that
 * could not run) as text, Markdown and the --report HTML page. JSON: {@link JsonOutputDocTest}.
 */
class DesignReportsTest {
    private final RunResult run = JsonOutputDocTest.verifiedApply();

    @Test
    void textNamesTheDesignTheSeedTheControlsAndTheRounds() {
        String text = new TextReport(Style.PLAIN, false, 0).render(run);
        assertThat(text).contains("    design: interleaved (seed 4025): the changes are toggled in rounds: live changes;"
                + " db2 measured beside it at the same moments\n");
        String header = text.lines().filter(l -> l.contains("BENCHMARK")).findFirst().orElseThrow();
        assertThat(header).contains("DESIGN").endsWith("VERDICT");
        assertThat(text).containsPattern("network +latency_p50 .* interleaved, 8 rounds +regressed")
                .contains("decided at round 8 (planned looks: round 8, each at 95% confidence)");
    }

    @Test
    void markdownHasTheDesignLineAndColumn() {
        String md = MarkdownReport.render(run);
        assertThat(md).contains("design: interleaved (seed 4025): the changes are toggled in rounds")
                .contains("| p | design | verdict |")
                .contains("| interleaved, 8 rounds | **regressed** |");
    }

    @Test
    void theHtmlPageChartsThePairedRatioOfEveryRoundAndTheControlsFigures(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("report.html");
        HtmlPage.write(page, run);
        String html = Files.readString(page);

        assertThat(html).doesNotContain("http://", "https://", "<script");
        assertThat(html).contains("aria-label=\"paired ratio of each round of db1 · network · latency_p50\"");
        String ratios = html.substring(html.indexOf("<svg class=\"ratios\""), html.indexOf("</svg>", html.indexOf("<svg class=\"ratios\"")));
        assertThat(Pattern.compile("<circle class=\"round\"").matcher(ratios).results().count()).as("one dot per round").isEqualTo(8);
        assertThat(ratios).contains("<rect class=\"interval\"").contains("+5.0%").contains("-5.0%");
        assertThat(html).contains(">db2 before<").contains(">db2 after<");
        // Dots of the first chart: 8 before, 8 after, and db2's 8 + 8 of the same moments.
        String samples = html.substring(html.indexOf("<svg width"), html.indexOf("</svg>"));
        assertThat(Pattern.compile("<circle ").matcher(samples).results().count()).isEqualTo(32);
        assertThat(html).contains("design interleaved, 8 rounds");
    }
}
