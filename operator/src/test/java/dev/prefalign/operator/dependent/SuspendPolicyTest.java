package dev.prefalign.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.TestJobs;
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
        assertThat(SuspendPolicy.wanted(queued, jobWith(queued, false))).contains(true);
        assertThat(SuspendPolicy.satisfied(queued, jobWith(queued, false))).isFalse();
        assertThat(SuspendPolicy.satisfied(queued, jobWith(queued, true))).isTrue();
    }

    @Test
    void releasingIsLeftToKueueForQueuedJobs() {
        PreferenceAlignmentJob queued = TestJobs.dpo("j", "ns"); // labelled for LocalQueue team-a
        assertThat(SuspendPolicy.wanted(queued, jobWith(queued, true))).isEmpty();
        assertThat(SuspendPolicy.satisfied(queued, jobWith(queued, true))).isTrue();

        PreferenceAlignmentJob plain = TestJobs.minimal("m", "ns");
        assertThat(SuspendPolicy.wanted(plain, jobWith(plain, true))).contains(false);
        assertThat(SuspendPolicy.satisfied(plain, jobWith(plain, true))).isFalse();
        assertThat(SuspendPolicy.satisfied(plain, jobWith(plain, false))).isTrue();
    }
}
