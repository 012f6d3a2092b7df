package dev.prefalign.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.model.TensorNames;
import dev.prefalign.trainer.optim.AdamW;
import dev.prefalign.trainer.testkit.TinyJob;
import dev.prefalign.trainer.train.LoopState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path tmp;
    private NDManager manager;
    private CausalLm policy;
    private AdamW adam;

    @BeforeEach
    void setUp() throws IOException {
        manager = NDManager.newBaseManager("PyTorch");
        policy = ModelStore.load(TinyJob.model(tmp.resolve("model"), 3), manager);
        adam = new AdamW(manager, 0.01, TensorNames::decays);
        takeOptimizerStep(0.5f);
    }

    @AfterEach
    void tearDown() {
        adam.close();
        policy.close();
        manager.close();
    }

    /** A fake gradient step so that weights and moments are non-trivial and change between checkpoints. */
    private void takeOptimizerStep(float gradient) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        policy.parameters().forEach((n, p) -> grads.put(n, p.onesLike().mul(gradient)));
        adam.step(policy.parameters(), grads, 1e-2);
        grads.values().forEach(NDArray::close);
    }

    private static LoopState state(long step) {
        return new LoopState(step, step, Map.of("loss", new double[] {1.5, 2}), 100 * step, 0, step, Map.of("loss",
                0.7), Map.of(), 0, 0);
    }

    @Test
    void keepsTheNewestCompleteCheckpointsAndListsThemNewestFirst() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 2, policy, "spec: {}\n");
        for (long step = 10; step <= 50; step += 10) {
            store.save(state(step), adam);
        }
        assertThat(store.list()).extracting(SavedCheckpoint::step).containsExactly(50L, 40L);
        assertThat(tmp.resolve("ckpt/step-0000030")).doesNotExist();
        assertThat(tmp.resolve("ckpt/step-0000050/manifest.json")).exists();
        assertThat(Files.readString(tmp.resolve("ckpt/step-0000050/job.yaml"))).isEqualTo("spec: {}\n");
    }

    @Test
    void restoresWeightsMomentsAndLoopStateExactly() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 3, policy, "");
        store.save(state(7), adam);
        Map<String, float[]> savedWeights = snapshot(policy.parameters());
        Map<String, float[]> savedMoments = snapshot(adam.secondMoments());
        takeOptimizerStep(-2f); // diverge from the saved state

        try (AdamW fresh = new AdamW(manager, 0.01, TensorNames::decays)) {
            CheckpointStore.Restorable r = store.latestComplete().orElseThrow();
            r.restoreInto(policy, fresh);
            assertThat(r.state().step()).isEqualTo(7);
            assertThat(r.state().pendingWindow().get("loss")).containsExactly(1.5, 2);
            assertThat(fresh.stepCount()).isEqualTo(7);
            assertSame(snapshot(policy.parameters()), savedWeights);
            assertSame(snapshot(fresh.secondMoments()), savedMoments);
        }
    }

    @Test
    void skipsDamagedAndUnfinishedCheckpointsAndUsesThePreviousOne() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 5, policy, "");
        store.save(state(1), adam);
        store.save(state(2), adam);
        store.save(state(3), adam);
        // step 3: one flipped byte in the weights; step 2: the manifest never written (a crash mid-checkpoint)
        try (RandomAccessFile f = new RandomAccessFile(tmp.resolve("ckpt/step-0000003/model.safetensors").toFile(),
                "rw")) {
            f.seek(f.length() - 5);
            int b = f.read();
            f.seek(f.length() - 5);
            f.write(b ^ 0x40);
        }
        Files.delete(tmp.resolve("ckpt/step-0000002/manifest.json"));
        // and a half-written folder from a crash during the next save
        Files.createDirectories(tmp.resolve("ckpt/step-0000004.partial"));
        Files.writeString(tmp.resolve("ckpt/step-0000004.partial/model.safetensors"), "half");

        assertThat(store.latestComplete().orElseThrow().state().step()).isEqualTo(1);
        store.removeUnfinished();
        assertThat(tmp.resolve("ckpt/step-0000004.partial")).doesNotExist();
    }

    @Test
    void noCheckpointMeansAFreshStart() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("none"), 3, policy, "");
        assertThat(store.list()).isEmpty();
        assertThat(store.latestComplete()).isEmpty();
    }

    private static Map<String, float[]> snapshot(Map<String, NDArray> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((n, a) -> out.put(n, a.toFloatArray()));
        return out;
    }

    private static void assertSame(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : List.copyOf(expected.keySet())) {
            assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
        }
    }
}
