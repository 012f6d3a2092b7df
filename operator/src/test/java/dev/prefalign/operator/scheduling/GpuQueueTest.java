package dev.prefalign.operator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prefalign.operator.scheduling.GpuQueue.Budgets;
import dev.prefalign.operator.scheduling.GpuQueue.Candidate;
import dev.prefalign.operator.scheduling.GpuQueue.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GpuQueueTest {

    private static final String GPU = "nvidia.com/gpu";
    private static final Budgets EIGHT = new Budgets(Map.of(GPU, 8), Map.of());

    private static Candidate job(String ns, String name, int gpus, int priority, int minute, boolean holding) {
        return new Candidate(ns + "/" + name, ns, GPU, gpus, priority,
                Instant.parse("2026-11-26T10:00:00Z").plusSeconds(60L * minute), holding);
    }

    private static List<String> keys(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::key).toList();
    }

    @Test
    void admitsByPriorityThenAgeUntilTheBudgetIsFull() {
        Decision d = GpuQueue.decide(List.of(
                job("a", "old-low", 4, 0, 1, false),
                job("a", "new-high", 4, 100, 5, false),
                job("b", "older-high", 4, 100, 2, false),
                job("b", "newest-low", 2, 0, 9, false)), EIGHT, false);
        assertThat(keys(d.admit())).containsExactly("b/older-high", "a/new-high");
        assertThat(d.waiting()).containsOnlyKeys("a/old-low", "b/newest-low");
        assertThat(d.waiting().get("a/old-low").position()).isEqualTo(1);
        assertThat(d.waiting().get("b/newest-low").position()).isEqualTo(2);
        assertThat(d.waiting().get("a/old-low").reason())
                .isEqualTo("the cluster budget for nvidia.com/gpu is full (8 of 8 in use, 4 needed)");
    }

    @Test
    void aSmallerJobMayPassOneThatDoesNotFit() {
        Decision d = GpuQueue.decide(List.of(
                job("a", "running", 6, 0, 0, true),
                job("a", "big", 4, 0, 1, false),
                job("a", "small", 2, 0, 2, false)), EIGHT, false);
        assertThat(keys(d.admit())).containsExactly("a/small");
        assertThat(d.waiting()).containsOnlyKeys("a/big");
    }

    @Test
    void namespaceBudgetsHoldBackOnlyTheirNamespace() {
        Budgets budgets = new Budgets(Map.of(GPU, 8), Map.of("team-a", Map.of(GPU, 2)));
        Decision d = GpuQueue.decide(List.of(
                job("team-a", "first", 2, 0, 1, false),
                job("team-a", "second", 1, 0, 2, false),
                job("team-b", "third", 4, 0, 3, false)), budgets, false);
        assertThat(keys(d.admit())).containsExactly("team-a/first", "team-b/third");
        assertThat(d.waiting().get("team-a/second").reason())
                .isEqualTo("the budget of namespace team-a for nvidia.com/gpu is full (2 of 2 in use, 1 needed)");
    }

    @Test
    void aRequestNoBudgetCanEverGiveIsImpossibleNotQueued() {
        Budgets budgets = new Budgets(Map.of(GPU, 8), Map.of("team-a", Map.of(GPU, 2)));
        Decision d = GpuQueue.decide(List.of(job("team-b", "huge", 16, 0, 1, false),
                job("team-a", "wide", 4, 0, 2, false)), budgets, false);
        assertThat(d.impossible()).containsEntry("team-b/huge",
                "it asks for 16 nvidia.com/gpu but the cluster budget is 8")
                .containsEntry("team-a/wide", "it asks for 4 nvidia.com/gpu but the budget of namespace team-a is 2");
        assertThat(d.admit()).isEmpty();
        assertThat(d.waiting()).isEmpty();
    }

    @Test
    void otherResourcesAndUnlimitedScopesAreNotCounted() {
        Candidate amd = new Candidate("a/amd", "a", "amd.com/gpu", 64, 0, Instant.EPOCH, false);
        Decision d = GpuQueue.decide(List.of(amd, job("a", "nv", 8, 0, 1, false)), EIGHT, false);
        assertThat(keys(d.admit())).containsExactly("a/amd", "a/nv");
    }

    @Test
    void withoutPreemptionAHighPriorityJobWaits() {
        Decision d = GpuQueue.decide(List.of(job("a", "low", 8, 0, 1, true), job("a", "high", 4, 100, 2, false)),
                EIGHT, false);
        assertThat(d.preempt()).isEmpty();
        assertThat(d.waiting()).containsOnlyKeys("a/high");
    }

    @Test
    void preemptionSuspendsTheLowestPriorityNewestJobsFirstAndOnlyAsManyAsNeeded() {
        Decision d = GpuQueue.decide(List.of(
                job("a", "low-old", 2, 0, 1, true),
                job("a", "low-new", 2, 0, 3, true),
                job("a", "mid", 2, 50, 2, true),
                job("a", "low-newest-other", 2, 10, 4, true),
                job("a", "high", 3, 100, 5, false)), EIGHT, true);
        // Priority 0 goes before priority 10; among the priority-0 jobs the newest goes first.
        assertThat(keys(d.preempt())).containsExactly("a/low-new", "a/low-old");
        assertThat(d.preemptedFor()).containsEntry("a/low-new", "a/high").containsEntry("a/low-old", "a/high");
        assertThat(keys(d.admit())).containsExactly("a/high");
    }

    @Test
    void preemptionNeverSuspendsEqualOrHigherPriorityNorJobsThatDoNotHelp() {
        Decision equal = GpuQueue.decide(List.of(job("a", "peer", 8, 100, 1, true), job("a", "high", 4, 100, 2, false)),
                EIGHT, true);
        assertThat(equal.preempt()).isEmpty();

        // The namespace budget is what is full: a job of another namespace frees nothing it needs.
        Budgets budgets = new Budgets(Map.of(GPU, 8), Map.of("team-a", Map.of(GPU, 2)));
        Decision other = GpuQueue.decide(List.of(job("team-a", "mine", 2, 1000, 1, true),
                job("team-b", "theirs", 2, 0, 2, true), job("team-a", "urgent", 2, 1000, 3, false)), budgets, true);
        assertThat(other.preempt()).isEmpty();
        assertThat(other.waiting()).containsOnlyKeys("team-a/urgent");

        // Not enough lower-priority GPUs even after all of them: nobody is suspended for nothing.
        Decision useless = GpuQueue.decide(List.of(job("a", "low", 2, 0, 1, true), job("a", "high-run", 6, 100, 2,
                true), job("a", "higher", 4, 200, 3, false)), EIGHT, true);
        assertThat(keys(useless.preempt())).containsExactly("a/high-run");
        assertThat(keys(useless.admit())).containsExactly("a/higher");
    }

    @Test
    void theDecisionDependsOnTheJobsNotOnTheOrderTheyAreListed() {
        List<Candidate> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(job("ns" + i % 3, "j" + i, 1 + i % 3, i % 4 * 10, i % 7, i % 5 == 0));
        }
        Decision reference = GpuQueue.decide(jobs, EIGHT, true);
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            List<Candidate> shuffled = new ArrayList<>(jobs);
            Collections.shuffle(shuffled, random);
            Decision d = GpuQueue.decide(shuffled, EIGHT, true);
            assertThat(keys(d.admit())).isEqualTo(keys(reference.admit()));
            assertThat(keys(d.preempt())).isEqualTo(keys(reference.preempt()));
            assertThat(d.waiting()).isEqualTo(reference.waiting());
        }
    }
}
