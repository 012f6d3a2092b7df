package dev.prefalign.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LossScalerTest {

    @Test
    void float32TrainingNeverScales() {
        LossScaler s = new LossScaler(false, 0);
        assertThat(s.scale()).isEqualTo(1.0);
        assertThat(s.update(true)).isTrue();
        assertThat(s.update(false)).as("a non-finite gradient is still skipped").isFalse();
        assertThat(s.scale()).isEqualTo(1.0);
    }

    @Test
    void overflowSkipsTheStepAndHalvesTheScale() {
        LossScaler s = new LossScaler(true, 0);
        assertThat(s.scale()).isEqualTo(LossScaler.INITIAL);
        assertThat(s.update(false)).isFalse();
        assertThat(s.scale()).isEqualTo(LossScaler.INITIAL / 2);
        assertThat(s.update(true)).isTrue();
        assertThat(s.scale()).isEqualTo(LossScaler.INITIAL / 2);
    }

    @Test
    void twoThousandCleanStepsDoubleTheScaleAndAResumedCounterContinues() {
        LossScaler s = new LossScaler(true, 1024);
        for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) {
            s.update(true);
        }
        assertThat(s.scale()).isEqualTo(1024);
        LossScaler resumed = new LossScaler(true, s.scale());
        resumed.restoreCleanSteps(s.cleanSteps());
        resumed.update(true);
        assertThat(resumed.scale()).isEqualTo(2048);
        assertThat(resumed.cleanSteps()).isZero();
    }

    @Test
    void theScaleNeverDropsBelowOne() {
        LossScaler s = new LossScaler(true, 2);
        s.update(false);
        s.update(false);
        s.update(false);
        assertThat(s.scale()).isEqualTo(1.0);
    }
}
