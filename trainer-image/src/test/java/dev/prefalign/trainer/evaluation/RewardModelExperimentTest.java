package dev.prefalign.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.trainer.evaluation.reward.RewardModel;
import dev.prefalign.trainer.experiment.ExperimentFiles;
import dev.prefalign.trainer.testkit.CliRun;
import dev.prefalign.trainer.testkit.MarkdownTables;
import dev.prefalign.trainer.testkit.TinyJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reward-model judge in experiments: {@code spec.evaluation.rewardModel} validation with file lines, a wrong
 * reward model failing before any training, and {@code compare} end to end on a tiny grid with win rates that the
 * report names the reward model for and that match rewards recomputed from the runs' saved replies.
 */
class RewardModelExperimentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAD = """
            apiVersion: prefalign.dev/v1alpha1
            kind: PreferenceAlignmentExperiment
            metadata:
              name: rmx
            spec:
              base:
                method: DPO
                model: {source: ./base}
                dataset: {source: ./data/pairs.jsonl, evalFraction: 0.25}
                training: {learningRate: 1.0e-2, maxSteps: 2, batchSize: 4, maxLength: 32, maxPromptLength: 16}
              grid:
                method: [DPO, ORPO]
              evaluation:
                prompts: 3
                maxNewTokens: 4
            """;
    private static final List<String> RUNS = List.of("rmx-01-dpo", "rmx-02-orpo");

    @TempDir
    static Path root;

    @BeforeAll
    static void writeModelsAndData() {
        TinyJob.model(root.resolve("base"), 8);
        TinyJob.writePairs(root.resolve("data/pairs.jsonl"), TinyJob.pairs(16, 3));
        RewardModelFolders.tiny(root.resolve("rm"), 21);
    }

    private static ManifestException invalid(String evaluationTail) {
        return (ManifestException) org.assertj.core.api.Assertions.catchThrowable(
                () -> ExperimentFiles.parse(HEAD + evaluationTail, "exp.yaml"));
    }

    @Test
    void theJudgeNeedsARewardModelAndARewardModelNeedsTheJudge() throws Exception {
        // HEAD has 15 lines; the tail starts on line 16
        assertThat(invalid("    judge: reward-model\n")).hasMessageContaining("exp.yaml:16:")
                .hasMessageContaining("spec.evaluation.judge is reward-model but spec.evaluation.rewardModel.source "
                        + "is not set");
        assertThat(invalid("    rewardModel: {source: ./rm}\n")).hasMessageContaining("exp.yaml:16:")
                .hasMessageContaining("spec.evaluation.rewardModel is set but spec.evaluation.judge is not set");
        assertThat(invalid("    judge: closer-to-chosen\n    rewardModel: {source: ./rm}\n"))
                .hasMessageContaining("exp.yaml:17:")
                .hasMessageContaining("spec.evaluation.judge is closer-to-chosen; the reward model only serves "
                        + "judge: reward-model");
        assertThat(invalid("    judge: reward-model\n    rewardModel:\n      path: ./rm\n"))
                .hasMessageContaining("exp.yaml:18:")
                .hasMessageContaining("unknown field spec.evaluation.rewardModel.path")
                .hasMessageContaining("spec.evaluation.rewardModel.source is required");
        assertThat(invalid("    judge: reward-model\n    rewardModel: {source: ./rm, maxLength: 1}\n"))
                .hasMessageContaining("spec.evaluation.rewardModel.maxLength must be a whole number >= 2");
        EvaluationSettings ok = ExperimentFiles.parse(HEAD + "    judge: reward-model\n    rewardModel: {source: "
                + "hf://owner/rm@main, maxLength: 512}\n", "exp.yaml").evaluation();
        assertThat(ok.rewardModel()).isEqualTo(RewardModelSettings.of("hf://owner/rm@main", 512));
        assertThat(ok.rewardModel().resolved()).isFalse();
    }

    @Test
    void settingsWithoutARewardModelSerialiseAsBefore() throws Exception {
        // the evaluation reuse key and experiment.json of existing work dirs must not change
        assertThat(JSON.readTree(JSON.writeValueAsString(EvaluationSettings.defaults())).fieldNames())
                .toIterable().containsExactly("prompts", "maxNewTokens", "rules", "judge", "rankBy");
        RewardModelSettings unresolved = RewardModelSettings.of("./rm", 0);
        assertThat(unresolved.maxLength()).isEqualTo(RewardModelSettings.DEFAULT_MAX_LENGTH);
        assertThat(JSON.readTree(JSON.writeValueAsString(unresolved)).fieldNames()).toIterable()
                .containsExactly("source", "maxLength");
        EvaluationSettings read = JSON.readValue(JSON.writeValueAsString(EvaluationSettings.defaults()
                .withRewardModel(unresolved.at("/abs/rm", "hf commit abc"))), EvaluationSettings.class);
        assertThat(read.rewardModel()).isEqualTo(new RewardModelSettings("./rm", 1024, "/abs/rm", "hf commit abc"));
    }

    @Test
    void aWrongRewardModelStopsCompareBeforeAnyRunTrains() throws Exception {
        Path twoLabels = RewardModelFolders.convert(TinyJob.model(root.resolve("rm2"), 9), new float[32], json -> {
            json.remove("id2label");
            json.put("num_labels", 2);
        });
        for (String source : List.of("./missing", "./rm2")) {
            Path file = root.resolve("bad-" + source.substring(2) + ".yaml");
            Files.writeString(file, HEAD + "    judge: reward-model\n    rewardModel: {source: " + source + "}\n");
            Path work = root.resolve("work-bad-" + source.substring(2));
            CliRun run = CliRun.of("compare", "-f", file.toString(), "--work-dir", work.toString());
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("spec.evaluation.rewardModel.source");
            assertThat(run.err()).contains(source.equals("./missing") ? "does not exist"
                    : twoLabels.resolve("config.json") + ": num_labels is 2");
            assertThat(work.resolve(RUNS.get(0))).doesNotExist();
        }
    }

    @Test
    void compareJudgesWinRatesWithTheRewardModelAndTheReportNamesIt() throws Exception {
        Path file = root.resolve("experiment.yaml");
        Files.writeString(file, HEAD + "    judge: reward-model\n    rankBy: winRate\n"
                + "    rewardModel: {source: ./rm}\n");
        Path work = root.resolve("work");
        CliRun run = CliRun.of("compare", "-f", file.toString(), "--work-dir", work.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        JsonNode settings = JSON.readTree(work.resolve("experiment.json").toFile()).path("evaluation");
        assertThat(settings.path("judge").asText()).isEqualTo("reward-model");
        JsonNode rm = settings.path("rewardModel");
        assertThat(rm.path("source").asText()).isEqualTo("./rm");
        assertThat(rm.path("path").asText()).isEqualTo(root.resolve("rm").toAbsolutePath().normalize().toString());
        assertThat(rm.path("revision").asText()).startsWith("sha256:").contains("of config.json and");

        String report = Files.readString(work.resolve("report/report.md"));
        assertThat(report).contains("- Judge reward-model: the reply that the reward model ./rm ("
                + rm.path("revision").asText() + ") scores higher wins");
        assertThat(report).contains("## Win rates").contains("judged by reward-model");

        // The win rates over the starting model, recomputed from the saved replies with a reward model of our own.
        List<Generation> start = generations(work.resolve("starting-model"));
        List<Map<String, String>> ranking = MarkdownTables.after(report, "## Ranking");
        try (RewardModel model = RewardModel.load(root.resolve("rm"), RewardModelSettings.DEFAULT_MAX_LENGTH)) {
            for (String name : RUNS) {
                List<Generation> replies = generations(work.resolve(name));
                assertThat(replies).hasSize(3);
                int wins = 0;
                int ties = 0;
                for (int i = 0; i < replies.size(); i++) {
                    double a = model.reward(new RewardModel.Exchange(replies.get(i).prompt(), replies.get(i).reply()));
                    double b = model.reward(new RewardModel.Exchange(start.get(i).prompt(), start.get(i).reply()));
                    Verdict v = RewardModelJudge.verdict(a, b);
                    wins += v == Verdict.FIRST ? 1 : 0;
                    ties += v == Verdict.TIE ? 1 : 0;
                }
                double expected = (wins + 0.5 * ties) / replies.size();
                Map<String, String> row = ranking.stream().filter(r -> r.get("run").equals(name)).findFirst()
                        .orElseThrow();
                assertThat(Double.parseDouble(row.get("win rate vs start"))).as(name).isEqualTo(expected);
            }
        }

        CliRun again = CliRun.of("report", "--work-dir", work.toString(), "--output", root.resolve("again").toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        String rewritten = Files.readString(root.resolve("again/report.md"));
        assertThat(MarkdownTables.after(rewritten, "## Win rates")).as("report from the files alone")
                .isEqualTo(MarkdownTables.after(report, "## Win rates"));
    }

    private static List<Generation> generations(Path dir) throws Exception {
        JsonNode evaluation = JSON.readTree(dir.resolve("evaluation.json").toFile());
        List<Generation> out = new ArrayList<>();
        for (JsonNode g : evaluation.path("generations")) {
            out.add(JSON.treeToValue(g, Generation.class));
        }
        return out;
    }
}
