package dev.prefalign.operator.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.experiment.PlannedRun;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import dev.prefalign.operator.TestJobs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunAdmissionTest {

    private static final List<PlannedRun> RUNS = List.of(run(1), run(2), run(3), run(4));

    private static PlannedRun run(int index) {
        return new PlannedRun(index, "exp-0" + index, "dpo", List.of(), TestJobs.minimal("exp-0" + index, "ns"), "");
    }

    private static PreferenceAlignmentJob job(String name, Phase phase) {
        PreferenceAlignmentJob job = TestJobs.minimal(name, "ns");
        if (phase != null) {
            job.setStatus(new PreferenceAlignmentJobStatus());
            job.getStatus().setPhase(phase);
        }
        return job;
    }

    @Test
    void fillsFreeSlotsInPlanOrder() {
        assertThat(RunAdmission.next(RUNS, Map.of(), 2)).extracting(PlannedRun::name)
                .containsExactly("exp-01", "exp-02");
    }

    @Test
    void aJobWithoutStatusYetHoldsItsSlot() {
        Map<String, PreferenceAlignmentJob> jobs = new LinkedHashMap<>();
        jobs.put("exp-01", job("exp-01", null));
        jobs.put("exp-02", job("exp-02", Phase.Queued));
        assertThat(RunAdmission.next(RUNS, jobs, 2)).isEmpty();
    }

    @Test
    void finishedJobsFreeTheirSlotsAndAreNotRunAgain() {
        Map<String, PreferenceAlignmentJob> jobs = new LinkedHashMap<>();
        jobs.put("exp-01", job("exp-01", Phase.Succeeded));
        jobs.put("exp-02", job("exp-02", Phase.Failed));
        jobs.put("exp-03", job("exp-03", Phase.Running));
        assertThat(RunAdmission.next(RUNS, jobs, 2)).extracting(PlannedRun::name).containsExactly("exp-04");
        assertThat(RunAdmission.next(RUNS, jobs, 1)).isEmpty();
    }
}
