package dev.prefalign.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The schedules against golden/schedules.json: the learning rates PyTorch's LambdaLR produced with transformers'
 * get_{constant,linear,cosine}_schedule_with_warmup lambdas (base lr 1, so the rates are the factors).
 */
class LrScheduleTest {
    private static JsonNode golden;

    @BeforeAll
    static void readGolden() throws IOException {
        try (InputStream in = LrScheduleTest.class.getResourceAsStream("/golden/schedules.json")) {
            assertThat(in).as("golden/schedules.json on the test classpath").isNotNull();
            golden = new ObjectMapper().readTree(in);
        }
        assertThat(golden.get("base_lr").asDouble()).isEqualTo(1.0);
        assertThat(golden.get("num_cycles").asDouble()).as("half a cosine cycle, transformers' default")
                .isEqualTo(0.5);
    }

    @ParameterizedTest
    @CsvSource({"constant, constant_with_warmup", "linear, linear", "cosine, cosine"})
    void everyStepMatchesTransformers(String kind, String goldenKey) {
        long total = golden.get("total_steps").asLong();
        long warmup = golden.get("warmup_steps").asLong();
        JsonNode expected = golden.get(goldenKey);
        assertThat(expected.size()).isEqualTo((int) total);
        LrSchedule schedule = LrSchedule.of(kind, total, warmup);
        for (int step = 0; step < total; step++) {
            assertThat(schedule.factor(step)).as("%s step %d", kind, step)
                    .isCloseTo(expected.get(step).asDouble(), within(1e-12));
        }
    }

    @Test
    void withoutWarmupTheFirstStepUsesTheFullRate() {
        for (String kind : new String[] {"constant", "linear", "cosine"}) {
            assertThat(LrSchedule.of(kind, 10, 0).factor(0)).as(kind).isEqualTo(1.0);
        }
        // linear and cosine reach 0 only after the last step, as transformers' lambdas do
        assertThat(LrSchedule.of("linear", 10, 0).factor(9)).isCloseTo(0.1, within(1e-12));
        assertThat(LrSchedule.of("cosine", 10, 0).factor(10)).isCloseTo(0.0, within(1e-12));
    }

    @ParameterizedTest(name = "ratio {0} of {1} steps -> {2} warmup steps")
    @CsvSource({
        "0.1, 25, 3",   // 2.5 rounds up
        "0.05, 10, 1",  // 0.5 rounds up
        "0.01, 150, 2", // 1.5 rounds up
        "0.1, 20, 2",   // exact stays
        "0.0, 100, 0",
        "1.0, 7, 7",
        "0.3, 10, 3"    // 0.3 * 10 is exactly 3.0 in double arithmetic, as in Python
    })
    void warmupStepsRoundUpAsTransformers(double ratio, long total, long expected) {
        assertThat(LrSchedule.warmupSteps(ratio, total)).isEqualTo(expected);
    }

    @Test
    void unknownKindNamesTheChoices() {
        assertThatThrownBy(() -> LrSchedule.of("polynomial", 10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("polynomial")
                .hasMessageContaining("constant, linear or cosine");
    }
}
