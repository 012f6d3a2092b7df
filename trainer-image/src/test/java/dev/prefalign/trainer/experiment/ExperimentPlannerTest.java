package dev.prefalign.trainer.experiment;

import dev.prefalign.api.experiment.PlannedRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.manifest.ManifestProblem;
import dev.prefalign.api.v1alpha1.spec.DpoLossType;
import dev.prefalign.api.v1alpha1.spec.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expansion of grids and variations into validated runs, and the errors of invalid experiments (no training). */
class ExperimentPlannerTest {

    private static final String BASE = """
            apiVersion: prefalign.dev/v1alpha1
            kind: PreferenceAlignmentExperiment
            metadata:
              name: cmp
            spec:
              base:
                method: DPO
                model:
                  source: ./base
                dataset:
                  source: ./data/pairs.jsonl
                  evalFraction: 0.25
                dpo:
                  lossType: ipo
                training:
                  maxSteps: 2
            """;

    private static ExperimentPlan plan(String specTail) throws ManifestException {
        return ExperimentPlan.of(ExperimentFiles.parse(BASE + specTail, "exp.yaml"), null);
    }

    private static List<ManifestProblem> problems(String text) {
        try {
            ExperimentPlan.of(ExperimentFiles.parse(text, "exp.yaml"), null);
        } catch (ManifestException e) {
            return e.problems();
        }
        throw new AssertionError("expected the experiment to be rejected");
    }

    @Test
    void methodSpecificAxesVaryOnlyTheirMethodsRuns() throws Exception {
        ExperimentPlan plan = plan("""
                  grid:
                    method: [DPO, ORPO]
                    dpo.beta: [0.1, 0.5]
                    orpo.lambda: [0.1]
                    training.learningRate: [1.0e-3]
                """);

        assertThat(plan.runs()).extracting(PlannedRun::name).containsExactly(
                "cmp-01-dpo-beta-0.1-lr-0.001", "cmp-02-dpo-beta-0.5-lr-0.001", "cmp-03-orpo-lambda-0.1-lr-0.001");
        PlannedRun dpo = plan.runs().get(1);
        assertThat(dpo.job().getSpec().getMethod()).isEqualTo(Method.DPO);
        assertThat(dpo.job().getSpec().getDpo().getBeta()).isEqualTo(0.5);
        assertThat(dpo.job().getSpec().getDpo().getLossType()).isEqualTo(DpoLossType.IPO); // kept from the base
        assertThat(dpo.job().getSpec().getTraining().getLearningRate()).isEqualTo(1e-3);
        assertThat(dpo.settingTexts()).containsExactly(
                Map.entry("method", "DPO"), Map.entry("dpo.beta", "0.5"),
                Map.entry("training.learningRate", "0.001"));
        PlannedRun orpo = plan.runs().get(2);
        assertThat(orpo.job().getSpec().getMethod()).isEqualTo(Method.ORPO);
        assertThat(orpo.job().getSpec().getOrpo().getLambda()).isEqualTo(0.1);
        // the base's dpo section does not leak into the ORPO run (SpecValidator would reject it)
        assertThat(orpo.resolvedYaml()).doesNotContain("dpo:").contains("lambda: 0.1");
        assertThat(orpo.job().getMetadata().getLabels()).containsEntry(Experiment.LABEL, "cmp");
        assertThat(plan.scoringJob().getSpec().getMethod()).isEqualTo(Method.ORPO);
    }

    @Test
    void variationsFollowTheGridAsRunsOfTheirOwn() throws Exception {
        ExperimentPlan plan = plan("""
                  grid:
                    dpo.beta: [0.1, 0.2]
                  variations:
                    - method: ORPO
                      orpo: {lambda: 0.5}
                    - dpo: {lossType: hinge}
                """);

        assertThat(plan.runs()).extracting(PlannedRun::name).containsExactly("cmp-01-dpo-beta-0.1",
                "cmp-02-dpo-beta-0.2", "cmp-03-orpo-lambda-0.5", "cmp-04-dpo-losstype-hinge");
        assertThat(plan.runs().get(3).job().getSpec().getDpo().getLossType()).isEqualTo(DpoLossType.HINGE);
        assertThat(plan.runs()).extracting(PlannedRun::index).containsExactly(1, 2, 3, 4);
    }

    @Test
    void anExperimentWithoutGridOrVariationsRunsTheBase() throws Exception {
        assertThat(plan("").runs()).extracting(PlannedRun::name).containsExactly("cmp-01-dpo");
    }

    @Test
    void localSourcesBecomeAbsoluteSoThatRecordedJobsRerunAnywhere() throws Exception {
        Path dir = Path.of("/some/where");
        ExperimentPlan plan = ExperimentPlan.of(ExperimentFiles.parse(BASE, "exp.yaml"), dir);
        assertThat(plan.runs().get(0).job().getSpec().getModel().getSource()).isEqualTo("/some/where/base");
        assertThat(plan.runs().get(0).job().getSpec().getDataset().getSource())
                .isEqualTo("/some/where/data/pairs.jsonl");
    }

    @Test
    void longDescriptionsAreCutToValidNames() throws Exception {
        ExperimentPlan plan = plan("""
                  grid:
                    training.gradientAccumulationSteps: [1]
                    training.maxPromptLength: [100]
                    training.maxLength: [200]
                    training.weightDecay: [0.01]
                """);
        String name = plan.runs().get(0).name();
        assertThat(name).hasSizeLessThanOrEqualTo(63).startsWith("cmp-01-dpo-gradientaccumulationsteps-1-")
                .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    }

    @Test
    void anUnknownGridFieldIsReportedOnceAtItsAxisWithItsLine() {
        List<ManifestProblem> problems = problems(BASE + """
                  grid:
                    dpo.betta: [0.1, 0.5]
                """);
        assertThat(problems).hasSize(1);
        ManifestProblem p = problems.get(0);
        assertThat(p.path()).isEqualTo("spec.grid[\"dpo.betta\"]");
        assertThat(p.line()).isEqualTo(18);
        assertThat(p.message()).contains("unknown field spec.dpo.betta").contains("did you mean beta?")
                .contains("all 2 runs");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsRunAndEntry() {
        List<ManifestProblem> problems = problems(BASE + """
                  grid:
                    dpo.beta: [0.1, fast]
                    training.batchSize: [4, 2.5]
                """);
        assertThat(problems).extracting(ManifestProblem::path).containsExactlyInAnyOrder(
                "spec.grid[\"dpo.beta\"][1]", "spec.grid[\"training.batchSize\"][1]");
        assertThat(problems).anySatisfy(p -> assertThat(p.message())
                .contains("spec.dpo.beta must be a number, not the string \"fast\"")
                .contains("runs cmp-03-dpo-beta-fast-batchsize-4, cmp-04-dpo-beta-fast-batchsize-2.5"));
        assertThat(problems).anySatisfy(p -> assertThat(p.message())
                .contains("spec.training.batchSize must be a whole number"));
    }

    @Test
    void aDpoAxisWithOnlyOrpoRunsIsAnError() {
        List<ManifestProblem> viaGrid = problems(BASE + """
                  grid:
                    method: [ORPO]
                    dpo.beta: [0.1, 0.5]
                """);
        assertThat(viaGrid).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("spec.grid[\"dpo.beta\"]");
            assertThat(p.message()).contains("varies DPO runs only, but no run of the grid uses DPO")
                    .contains("add DPO to spec.grid.method");
        });
        List<ManifestProblem> viaBase = problems(BASE.replace("method: DPO", "method: ORPO")
                .replace("    dpo:\n      lossType: ipo\n", "") + """
                  grid:
                    dpo.lossType: [sigmoid]
                """);
        assertThat(viaBase).singleElement().satisfies(p -> assertThat(p.message())
                .contains("spec.base.method is ORPO"));
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheVariationNamed() {
        List<ManifestProblem> problems = problems(BASE.replace("maxSteps: 2", "maxSteps: 0") + """
                  grid:
                    method: [DPO, PPO]
                  variations:
                    - method: ORPO
                      dpo: {beta: 0.3}
                  evaluation:
                    rules: [kindness]
                """);
        // the evaluation section is checked first: the file's own fields before the runs
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message())
                .contains("unknown rule \"kindness\"").contains("politeness").contains("closer-to-chosen"));

        List<ManifestProblem> runProblems = problems(BASE.replace("maxSteps: 2", "maxSteps: 0") + """
                  grid:
                    method: [DPO, PPO]
                  variations:
                    - method: ORPO
                      dpo: {beta: 0.3}
                """);
        assertThat(runProblems).extracting(ManifestProblem::path).containsExactlyInAnyOrder(
                "spec.base.training.maxSteps", "spec.grid.method[1]", "spec.variations[0].dpo");
        // the PPO run stops at its method, so the base's problem concerns the other two
        assertThat(runProblems).anySatisfy(p -> assertThat(p.message()).contains("maxSteps must be -1")
                .contains("runs cmp-01-dpo, cmp-03-orpo-beta-0.3"));
        assertThat(runProblems).anySatisfy(p -> assertThat(p.message()).contains("unknown value \"PPO\"")
                .contains("run cmp-02-ppo"));
        assertThat(runProblems).anySatisfy(p -> assertThat(p.message())
                .contains("spec.dpo applies only to method DPO").contains("run cmp-03-orpo-beta-0.3"));
    }

    @Test
    void theFilesOwnFieldsAreChecked() {
        assertThatThrownBy(() -> ExperimentFiles.parse(BASE.replace("PreferenceAlignmentExperiment",
                "PreferenceAlignmentJob"), "exp.yaml"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("kind must be PreferenceAlignmentExperiment");
        List<ManifestProblem> problems = problems(BASE + """
                  grids: {}
                  grid:
                    spec.dpo.beta: [0.1]
                    training.seed: 7
                    dpo: [{beta: 0.1}]
                    dpo.beta: [0.2, 0.2]
                  maxConcurrent: 0
                  evaluation:
                    rankBy: winRate
                """);
        assertThat(problems).extracting(ManifestProblem::message).anySatisfy(m -> assertThat(m)
                .contains("unknown field spec.grids"));
        assertThat(problems).extracting(ManifestProblem::message).anySatisfy(m -> assertThat(m)
                .contains("write grid fields relative to spec, as dpo.beta"));
        assertThat(problems).extracting(ManifestProblem::message).anySatisfy(m -> assertThat(m)
                .contains("spec.grid[\"training.seed\"] must be a non-empty list"));
        assertThat(problems).extracting(ManifestProblem::message).anySatisfy(m -> assertThat(m)
                .contains("lies inside spec.grid.dpo"));
        assertThat(problems).extracting(ManifestProblem::message).anySatisfy(m -> assertThat(m)
                .contains("lists 0.2 twice"));
        assertThat(problems).extracting(ManifestProblem::message).anySatisfy(m -> assertThat(m)
                .contains("spec.maxConcurrent must be a whole number >= 1"));
        assertThat(problems).extracting(ManifestProblem::message).anySatisfy(m -> assertThat(m)
                .contains("rankBy is winRate but no judge is set"));
        assertThat(problems).allSatisfy(p -> assertThat(p.line()).isPositive());
    }
}
