package dev.prefalign.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.runtime.Gradients;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.tokens.TokenizedPair;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression test for a use-after-free that corrupted gradients at random after a garbage collection: DJL's
 * {@code x.mul(2f)} wraps the number in a tensor over a Java direct buffer and closes it as soon as the op returns,
 * while autograd keeps that tensor for the backward pass (d(x*c)/dx needs c). A GC between forward and backward let
 * the buffer's memory be freed and reused, and the backward read whatever was there. Here a GC runs between the two,
 * the freed small blocks are refilled with NaN, and the gradients must be bit-identical to an undisturbed pass.
 */
class GradientsAfterGarbageCollectionTest {
    @TempDir
    static Path root;
    private static NDManager manager;
    private static CausalLm policy;
    private static SequenceBatch batch;
    private static ReferenceLogps reference;

    @BeforeAll
    static void setUp() throws IOException {
        manager = NDManager.newBaseManager("PyTorch");
        policy = ModelStore.load(TinyJob.model(root.resolve("model"), 21), manager);
        batch = SequenceBatch.ofPairs(List.of(
                new TokenizedPair("a", new int[] {4, 5, 6}, new int[] {7, 8, 3}, new int[] {9, 3}),
                new TokenizedPair("b", new int[] {10, 11}, new int[] {12, 13, 14, 3}, new int[] {15, 16, 3})), 0);
        reference = new ReferenceLogps(new double[] {-9.5, -8.25}, new double[] {-7.0, -10.5});
    }

    @AfterAll
    static void tearDown() {
        policy.close();
        manager.close();
    }

    static List<AlignmentLoss> losses() {
        return List.of(new SigmoidDpoLoss(0.1, 0.1), new RobustDpoLoss(0.1, 0.1), new HingeDpoLoss(0.1),
                new IpoLoss(0.1), new OrpoLoss(0.5));
    }

    @ParameterizedTest
    @MethodSource("losses")
    void gradientsDoNotDependOnAGarbageCollectionBetweenForwardAndBackward(AlignmentLoss loss) throws Exception {
        Map<String, float[]> undisturbed = gradients(loss, false);
        Map<String, float[]> disturbed = gradients(loss, true);
        assertThat(undisturbed.values()).allSatisfy(g -> assertThat(g).doesNotContain(Float.NaN));
        undisturbed.forEach((name, g) -> assertThat(disturbed.get(name)).as(name).containsExactly(g));
    }

    private static Map<String, float[]> gradients(AlignmentLoss f, boolean collectBeforeBackward) throws Exception {
        Map<String, float[]> grads = new LinkedHashMap<>();
        List<ByteBuffer> refilled = List.of();
        policy.setTrainable(true);
        try (NDScope scope = new NDScope()) {
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                PairScores p = PairScores.split(SequenceScores.of(policy, batch));
                NDArray loss = f.compute(p, f.needsReference() ? reference : null).loss();
                if (collectBeforeBackward) {
                    refilled = collectAndRefillFreedBlocks();
                }
                gc.backward(loss);
            }
            policy.parameters().forEach((name, param) -> grads.put(name, param.getGradient().toFloatArray()));
            Gradients.zero(policy.parameters().values());
        } finally {
            policy.setTrainable(false);
        }
        // the refill blocks must stay allocated until the backward pass has run
        assertThat(refilled).hasSize(collectBeforeBackward ? REFILL_BLOCKS : 0);
        return grads;
    }

    private static final int REFILL_BLOCKS = 20_000;

    /**
     * Runs a GC, waits until reference processing has freed unreachable direct buffers, then takes many small blocks
     * from the allocator (direct buffers of one float, the size DJL uses for a scalar) and fills them with NaN.
     */
    private static List<ByteBuffer> collectAndRefillFreedBlocks() throws InterruptedException {
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        while (sentinel.get() != null) {
            System.gc();
            Thread.sleep(10);
        }
        Thread.sleep(200); // the Reference Handler thread frees the buffers' memory after the GC
        List<ByteBuffer> blocks = new ArrayList<>();
        for (int i = 0; i < REFILL_BLOCKS; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4);
            b.putFloat(0, Float.NaN);
            blocks.add(b);
        }
        return blocks;
    }
}
