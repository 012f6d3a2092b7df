package dev.prefalign.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> TRAINING = List.of("learningRate", "epochs", "maxSteps", "batchSize",
            "gradientAccumulationSteps", "maxLength", "maxPromptLength", "lrScheduler", "warmupRatio", "weightDecay",
            "maxGradNorm", "shuffle", "seed", "precision", "logEverySteps", "evalEverySteps");

    @Test
    void suggestsTheLikelyIntent() {
        assertThat(Suggestions.closest("learnRate", TRAINING)).contains("learningRate");
        assertThat(Suggestions.closest("evalSteps", TRAINING)).contains("evalEverySteps");
        assertThat(Suggestions.closest("epoch", TRAINING)).contains("epochs");
        assertThat(Suggestions.closest("BatchSize", TRAINING)).contains("batchSize");
        assertThat(Suggestions.closest("wramupRatio", TRAINING)).contains("warmupRatio");
        assertThat(Suggestions.closest("beat", List.of("beta", "lossType"))).contains("beta");
    }

    @Test
    void staysQuietWhenNothingIsClose() {
        assertThat(Suggestions.closest("optimizer", TRAINING)).isEmpty();
        assertThat(Suggestions.closest("weight", List.of("lambda"))).isEmpty();
    }

    @Test
    void distanceCountsATranspositionAsOneEdit() {
        assertThat(Suggestions.distance("beat", "beta")).isEqualTo(1);
        assertThat(Suggestions.distance("learnrate", "learningrate")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }
}
