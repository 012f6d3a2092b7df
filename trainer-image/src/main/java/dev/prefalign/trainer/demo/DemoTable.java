package dev.prefalign.trainer.demo;

import java.util.List;
import java.util.Locale;

/** The demo's side-by-side comparison, as a Markdown table that reads well in a terminal too. */
final class DemoTable {
    private DemoTable() {
    }

    static String render(List<DemoRunner.MethodResult> results, DemoMeasurement before) {
        StringBuilder sb = new StringBuilder();
        sb.append("Held-out prompts (tasks never seen in training), SFT model -> after each method:\n\n");
        sb.append("| method | pref. accuracy | logp margin | polite greedy replies | eval reward acc | eval margin "
                + "| time | peak RSS |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (DemoRunner.MethodResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f -> %.2f | %+.2f -> %+.2f | %.0f%% -> %.0f%% | %.2f | %+.3f "
                            + "| %.1f s | %s |%n",
                    r.method(), before.preferenceAccuracy(), r.after().preferenceAccuracy(), before.logpMargin(),
                    r.after().logpMargin(), 100 * before.politeRate(), 100 * r.after().politeRate(),
                    r.eval().getOrDefault("eval_rewards/accuracies", Double.NaN),
                    r.eval().getOrDefault("eval_rewards/margins", Double.NaN), r.seconds(), mib(r.peakRssBytes())));
        }
        sb.append("\npref. accuracy: share of held-out pairs where the model gives the polite reply the higher"
                + " log-probability;\nlogp margin: mean log p(polite) - log p(rude); eval reward acc/margin: the"
                + " method's own implicit rewards (TRL's rewards/*) on the held-out pairs.\n");
        sb.append("\nGreedy replies to unseen requests:\n");
        for (String s : before.samples()) {
            sb.append("  SFT  : ").append(s).append('\n');
        }
        for (DemoRunner.MethodResult r : results) {
            for (String s : r.after().samples()) {
                sb.append(String.format(Locale.ROOT, "  %-5s: %s%n", r.method(), s));
            }
        }
        return sb.toString();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
