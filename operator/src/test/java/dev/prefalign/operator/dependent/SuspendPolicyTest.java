package dev.prefalign.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.TestJobs;
import dev.prefalign.operator.scheduling.SchedulingMode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuspendPolicyTest {

    private static final ChildSettings SETTINGS = new ChildSettings("i", 30, 1000, Optional.empty());

    private static Job jobWith(PreferenceAlignmentJob resource, boolean suspended) {
        Job job = TrainerJobs.desired(resource, SETTINGS);
        job.getSpec().setSuspend(suspended);
        return job;
    }

    @Test
    void suspendingIsAlwaysPassedOn() {
        PreferenceAlignmentJob queued = TestJobs.dpo("j", "ns");
        queued.getSpec().getRunPolicy().setSuspend(true);
        assertThat(SuspendPolicy.wanted(queued, jobWith(queued, false), SchedulingMode.NONE)).contains(true);
        assertThat(SuspendPolicy.satisfied(queued, jobWith(queued, false), SchedulingMode.NONE)).isFalse();
        assertThat(SuspendPolicy.satisfied(queued, jobWith(queued, true), SchedulingMode.NONE)).isTrue();
    }

    @Test
    void releasingIsLeftToKueueForQueuedJobs() {
        PreferenceAlignmentJob queued = TestJobs.dpo("j", "ns"); // labelled for LocalQueue team-a
        assertThat(SuspendPolicy.wanted(queued, jobWith(queued, true), SchedulingMode.NONE)).isEmpty();
        assertThat(SuspendPolicy.satisfied(queued, jobWith(queued, true), SchedulingMode.NONE)).isTrue();

        PreferenceAlignmentJob plain = TestJobs.minimal("m", "ns");
        assertThat(SuspendPolicy.wanted(plain, jobWith(plain, true), SchedulingMode.NONE)).contains(false);
        assertThat(SuspendPolicy.satisfied(plain, jobWith(plain, true), SchedulingMode.NONE)).isFalse();
        assertThat(SuspendPolicy.satisfied(plain, jobWith(plain, false), SchedulingMode.NONE)).isTrue();
    }

    @Test
    void releasingIsLeftToTheOperatorsAdmissionUnderBudgets() {
        PreferenceAlignmentJob plain = TestJobs.minimal("m", "ns");
        assertThat(SuspendPolicy.wanted(plain, jobWith(plain, true), SchedulingMode.BUDGETS)).isEmpty();
        assertThat(SuspendPolicy.heldBackAtCreation(plain, SchedulingMode.BUDGETS)).isTrue();
        plain.getSpec().getRunPolicy().setSuspend(true);
        assertThat(SuspendPolicy.wanted(plain, jobWith(plain, false), SchedulingMode.BUDGETS)).contains(true);
    }

    @Test
    void onlyJobsWithAQueueStartHeldBackUnderKueue() {
        assertThat(SuspendPolicy.heldBackAtCreation(TestJobs.dpo("j", "ns"), SchedulingMode.KUEUE)).isTrue();
        assertThat(SuspendPolicy.heldBackAtCreation(TestJobs.minimal("m", "ns"), SchedulingMode.KUEUE)).isFalse();
        assertThat(SuspendPolicy.heldBackAtCreation(TestJobs.dpo("j", "ns"), SchedulingMode.NONE)).isFalse();
    }
}
