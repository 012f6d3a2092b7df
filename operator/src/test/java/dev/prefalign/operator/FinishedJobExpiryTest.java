package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.api.v1alpha1.status.Phase;
import dev.prefalign.api.v1alpha1.status.PreferenceAlignmentJobStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FinishedJobExpiryTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static PreferenceAlignmentJob job(Long ttl) {
        PreferenceAlignmentJob job = TestJobs.minimal("j", "ns");
        job.getSpec().getRunPolicy().setTtlSecondsAfterFinished(ttl);
        return job;
    }

    private static PreferenceAlignmentJobStatus status(Phase phase, String completionTime) {
        PreferenceAlignmentJobStatus status = new PreferenceAlignmentJobStatus();
        status.setPhase(phase);
        status.setCompletionTime(completionTime);
        return status;
    }

    @Test
    void waitsForCompletionTimePlusTtl() {
        assertThat(FinishedJobExpiry.remaining(job(60L).getSpec(), status(Phase.Succeeded, "2026-03-01T11:59:50Z"),
                NOW)).contains(Duration.ofSeconds(50));
    }

    @Test
    void anExpiredOrZeroTtlMeansNow() {
        assertThat(FinishedJobExpiry.remaining(job(60L).getSpec(), status(Phase.Failed, "2026-03-01T10:00:00Z"),
                NOW)).contains(Duration.ZERO);
        assertThat(FinishedJobExpiry.remaining(job(0L).getSpec(), status(Phase.Succeeded, "2026-03-01T12:00:00Z"),
                NOW)).contains(Duration.ZERO);
    }

    @Test
    void runningJobsJobsWithoutTtlAndUnreadableTimesAreLeftAlone() {
        assertThat(FinishedJobExpiry.remaining(job(0L).getSpec(), status(Phase.Running, null), NOW)).isEmpty();
        assertThat(FinishedJobExpiry.remaining(job(null).getSpec(), status(Phase.Succeeded, "2026-03-01T10:00:00Z"),
                NOW)).isEmpty();
        assertThat(FinishedJobExpiry.remaining(job(0L).getSpec(), status(Phase.Succeeded, "yesterday"), NOW))
                .isEmpty();
    }
}
