package dev.prefalign.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.gitops.ArgoCdHealth.Health;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart's Argo CD health check, run by a Lua engine against statuses the operator really writes. */
class ArgoCdHealthTest {

    private static final String CONFIG_KEY = "resource.customizations.health.prefalign.dev_PreferenceAlignmentJob";

    private static ArgoCdHealth health;

    @BeforeAll
    static void loadScript() {
        health = ArgoCdHealth.load();
    }

    private static Health of(PreferenceAlignmentJob resource) {
        return health.of(Situations.json(resource));
    }

    private static String condition(PreferenceAlignmentJob resource, String type) {
        return resource.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow().getMessage();
    }

    @Test
    void aJobTheOperatorHasNotSeenIsProgressing() {
        assertThat(of(Situations.applied()))
                .isEqualTo(new Health("Progressing", "Waiting for the operator to observe the job."));
    }

    @Test
    void pendingQueuedAndInitializingAreProgressingWithThePhaseAndTheOperatorsSentence() {
        assertThat(of(Situations.creating()).status()).isEqualTo("Progressing");
        assertThat(of(Situations.creating()).message()).startsWith("Pending: Creating the trainer Job ");
        assertThat(of(Situations.waitingForKueue())).isEqualTo(new Health("Progressing",
                "Queued: Waiting for Kueue to admit the Job from LocalQueue team-a."));
        assertThat(of(Situations.fetching()))
                .isEqualTo(new Health("Progressing", "Initializing: Downloading the model and dataset."));
    }

    @Test
    void aRunningJobIsProgressingWithItsPercentDone() {
        assertThat(of(Situations.training()))
                .isEqualTo(new Health("Progressing", "Running, 37.5% done: Step 3 of 8 (37.5%)."));
    }

    @Test
    void anInvalidSpecIsDegradedWithTheStalledMessage() {
        PreferenceAlignmentJob invalid = Situations.invalidSpec();
        Health h = of(invalid);
        assertThat(h.status()).isEqualTo("Degraded");
        assertThat(h.message()).isEqualTo(condition(invalid, "Stalled"))
                .contains("nothing was created")
                .contains("spec.training.maxPromptLength (2048) must be less than spec.training.maxLength (1024)");

        PreferenceAlignmentJob brokenEdit = Situations.trainingWithABrokenEdit();
        assertThat(brokenEdit.getStatus().getPhase().name()).isEqualTo("Running");
        assertThat(of(brokenEdit)).isEqualTo(new Health("Degraded", condition(brokenEdit, "Stalled")));
        assertThat(of(brokenEdit).message()).contains("keeps the spec it was created with");
    }

    @Test
    void aFailedJobIsDegradedWithWhyItFailed() {
        Health backoff = of(Situations.backoffLimitExceeded());
        assertThat(backoff.status()).isEqualTo("Degraded");
        assertThat(backoff.message()).startsWith("The trainer failed 6 times (spec.runPolicy.backoffLimit is 5)")
                .contains("CUDA error: out of memory");

        Health badInput = of(Situations.invalidInput());
        assertThat(badInput.status()).isEqualTo("Degraded");
        assertThat(badInput.message()).startsWith("The trainer stopped on bad input: error: dataset row 12");
    }

    @Test
    void aSucceededJobIsHealthyEvenAfterItsJobWasDeleted() {
        Health done = of(Situations.succeeded());
        assertThat(done.status()).isEqualTo("Healthy");
        assertThat(done.message()).startsWith("Trained 8 steps in 42 s; the model is at pvc://");
        assertThat(of(Situations.succeededAndJobDeleted())).isEqualTo(done);
    }

    @Test
    void aSuspendedJobIsSuspended() {
        Health h = of(Situations.suspended());
        assertThat(h.status()).isEqualTo("Suspended");
        assertThat(h.message()).startsWith("Suspended by spec.runPolicy.suspend");
    }

    @Test
    void aStatusOlderThanTheSpecIsProgressingWhateverItSays() {
        assertThat(of(Situations.editedSinceLastStatus(Situations.succeeded())))
                .isEqualTo(new Health("Progressing", "Waiting for the operator to observe generation 2."));
        assertThat(of(Situations.editedSinceLastStatus(Situations.backoffLimitExceeded())).status())
                .isEqualTo("Progressing");
    }

    @Test
    void everyAnswerIsAnArgoCdHealthStatusWithAMessage() {
        List<PreferenceAlignmentJob> all = List.of(Situations.applied(), Situations.creating(),
                Situations.invalidSpec(), Situations.waitingForKueue(), Situations.fetching(), Situations.training(),
                Situations.trainingWithABrokenEdit(), Situations.suspended(), Situations.succeeded(),
                Situations.succeededAndJobDeleted(), Situations.backoffLimitExceeded(), Situations.invalidInput());
        assertThat(all).allSatisfy(resource -> {
            Health h = of(resource);
            assertThat(h.status()).isIn("Healthy", "Progressing", "Degraded", "Suspended", "Missing");
            assertThat(h.message()).isNotBlank();
        });
    }

    /** docs/operator.md shows the argocd-cm entry; it must be the shipped script, line for line. */
    @Test
    void theDocumentedConfigMapEntryIsTheShippedScript() throws IOException {
        Path docs = Path.of("..", "docs", "operator.md");
        List<String> lines = Files.readAllLines(docs);
        int key = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(CONFIG_KEY + ": |")) {
                key = i;
            }
        }
        assertThat(key).as("docs/operator.md has no line '%s: |' (section \"GitOps with Argo CD\")", CONFIG_KEY)
                .isNotNegative();
        String indent = "    ";
        String documented = lines.subList(key + 1, lines.size()).stream()
                .takeWhile(l -> !l.startsWith("```"))
                .map(l -> l.isBlank() ? "" : l.substring(Math.min(indent.length(), l.length())))
                .collect(Collectors.joining("\n"));
        assertThat(documented.strip())
                .as("the snippet in docs/operator.md differs from %s: copy the script into the docs again",
                        ArgoCdHealth.SCRIPT)
                .isEqualTo(health.script().strip());
    }
}
