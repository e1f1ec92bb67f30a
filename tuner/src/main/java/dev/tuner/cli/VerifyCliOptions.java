package dev.tuner.cli;

import dev.tuner.diag.Diagnostics;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.Task;
import dev.tuner.run.VerifyOptions;
import dev.tuner.verify.BenchmarkCatalog;
import dev.tuner.verify.Benchmarks;
import dev.tuner.verify.stats.Thresholds;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** How apply measures its changes: --no-verify, --runs, --threshold, --rollback-on-regression, --report. */
public class VerifyCliOptions {
    @Option(names = "--no-verify", description = "Apply without measuring before and after.")
    boolean noVerify;

    @Option(names = "--rollback-on-regression", description = "Roll back every task whose benchmark regressed (else only where the playbook says rollback_on_regression: true).")
    boolean rollbackOnRegression;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Measured runs on each side of the before-after design (paired designs run rounds: verify: {max_rounds, max_time}) (default: ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Warm-up repetitions, not counted (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--threshold", paramLabel = "FRACTION", defaultValue = "0.05",
            description = "Smallest relative change after/before that gets a verdict, e.g. 0.05 = 5%%, used as given (default: ${DEFAULT-VALUE}).")
    double threshold = 0.05;

    @Option(names = "--confidence", paramLabel = "LEVEL", defaultValue = "0.95", description = "Confidence of a verdict (default: ${DEFAULT-VALUE}).")
    double confidence = 0.95;

    @Option(names = "--verify-dir", paramLabel = "DIR", description = "Benchmark definitions (default: verify/ beside the playbook, or beside its playbooks/ directory;"
                    + " the shipped ones otherwise).")
    Path verifyDir;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write the before/after measurements as a self-contained HTML page with charts.")
    Path report;

    BenchmarkCatalog catalog(Path playbookDir) {
        return Benchmarks.load(verifyDir != null ? verifyDir : Benchmarks.userDirFor(playbookDir));
    }

    VerifyOptions options(Playbook playbook, Progress progress) {
        if (noVerify) return VerifyOptions.OFF;
        BenchmarkCatalog catalog = catalog(playbook.baseDir());
        checkNames(playbook, catalog);
        checkRounds(playbook, confidence);
        Thresholds t = Thresholds.DEFAULT.withMinEffect(threshold).withConfidence(confidence);
        return new VerifyOptions(true, catalog, runs, warmup, t, rollbackOnRegression,
                e -> progress.hostStarted(e.host(), e.toString()));
    }

    /** A benchmark a playbook names must exist: found before any host is touched. */
    static void checkNames(Playbook playbook, BenchmarkCatalog catalog) {
        Diagnostics d = new Diagnostics();
        for (Play play : playbook.plays()) {
            check(play.options().get("verify"), play.at(), catalog, d);
            for (Task t : play.tasks()) check(t.verify(), t.at(), catalog, d);
        }
        d.throwIfErrors();
    }

    /** A play's max_rounds must leave room for a verdict at the confidence it is measured at. */
    static void checkRounds(Playbook playbook, double confidence) {
        Diagnostics d = new Diagnostics();
        for (Play play : playbook.plays()) {
            String problem = dev.tuner.run.Verifier.problem(play, confidence);
            if (problem != null) d.error(play.at(), problem);
        }
        d.throwIfErrors();
    }

    private static void check(Object spec, dev.tuner.diag.Location at, BenchmarkCatalog catalog, Diagnostics d) {
        List<String> names = dev.tuner.run.Verifier.names(spec);
        if (names == null) return;
        for (String n : names) {
            if (!catalog.contains(n)) d.error(at, "verify: no benchmark named '" + n + "'"
                    + dev.tuner.diag.Suggest.didYouMean(n, catalog.names()) + "; known: " + String.join(", ", catalog.names()));
        }
    }
}
