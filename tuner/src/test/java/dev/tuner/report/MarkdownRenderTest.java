package dev.tuner.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.run.HostResult;
import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import dev.tuner.run.TaskResult;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.testing.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Markdown of a plan, rendered by cmark-gfm (GitHub's own CommonMark with its table
 * extension), shows every task name and value exactly as the playbook and the host have them.
 */
class MarkdownRenderTest {
    private static final Path CMARK = Path.of("/usr/bin/cmark-gfm");
    private static final Pattern ROW = Pattern.compile("<tr>\\s*(.*?)\\s*</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL);

    private static final String TASK = "Keep `x` *not bold* | <b>raw</b> & [link](http://x) _u_ \\ back # ~~s~~ !";
    private static final List<String[]> VALUES = List.of(
            new String[] {"net.core.`odd`", "a`b", "``"},
            new String[] {"k2", "`start", "end`"},
            new String[] {"k3", " spaced ", "pipe|pipe"},
            new String[] {"k4", "<tag>&amp;", "*x* _y_ \\z"});

    @Test
    void taskNamesAndValuesRenderExactly() throws Exception {
        Peers.require("cmark-gfm", Files.isExecutable(CMARK) ? null : CMARK + " is missing: apt-get install -y cmark-gfm");
        List<Change> changes = new ArrayList<>();
        for (String[] v : VALUES) changes.add(new Change(0, "sysctl", v[0], v[1], v[2], null, ChangeState.CHANGE, Cost.LIVE, "note <i>" + v[0]));
        TaskResult task = new TaskResult(0, TASK, "sysctl", TaskResult.Status.CHANGED, changes, List.of(), null);
        HostResult host = new HostResult("db01", "play", HostResult.Status.CHANGED, List.of(task), List.of(), List.of(), null, "as planned");
        RunResult run = new RunResult("r1", Mode.PLAN, "site.yml", Instant.now(), Instant.now(),
                List.of(new RunResult.PlayResult("play", "all", List.of(host), List.of())));

        List<List<String>> rows = render(MarkdownReport.render(run));
        List<List<String>> settingRows = rows.stream().filter(r -> r.size() == 8).toList();
        assertThat(settingRows).hasSize(VALUES.size());
        for (int i = 0; i < VALUES.size(); i++) {
            List<String> r = settingRows.get(i);
            assertThat(r.get(0)).isEqualTo(TASK);
            assertThat(r.get(2)).isEqualTo(VALUES.get(i)[0]);
            assertThat(r.get(3)).isEqualTo(VALUES.get(i)[1]);
            assertThat(r.get(4)).isEqualTo(VALUES.get(i)[2]);
            assertThat(r.get(7)).isEqualTo("note <i>" + VALUES.get(i)[0]);
        }
    }

    /** The text of every table cell, as a reader sees it in the rendered page. */
    private static List<List<String>> render(String markdown) throws Exception {
        Process p = new ProcessBuilder(CMARK.toString(), "-e", "table").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write(markdown.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String html = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(html).as("no raw HTML reached the page").doesNotContain("raw HTML omitted");
        List<List<String>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(1));
            while (cell.find()) cells.add(text(cell.group(1)));
            if (!cells.isEmpty()) rows.add(cells);
        }
        return rows;
    }

    private static String text(String html) {
        return html.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
