package dev.prefalign.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.optim.AdamW;
import dev.prefalign.trainer.safetensors.DType;
import dev.prefalign.trainer.safetensors.SafetensorsReader;
import dev.prefalign.trainer.safetensors.SafetensorsWriter;
import dev.prefalign.trainer.safetensors.TensorData;
import dev.prefalign.trainer.train.Checkpointer;
import dev.prefalign.trainer.train.LoopState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints under {@code <work-dir>/checkpoints/step-NNNNNNN/}: float32 weights, AdamW moments, the loop state, the
 * resolved job spec and a manifest with sizes and sha256 written last. Each checkpoint is assembled in a
 * {@code .partial} folder, fsynced and renamed into place, so a crash at any moment never leaves a folder that looks
 * complete. Retention keeps the newest {@code keep} complete checkpoints and never the newest one; data goes before
 * the manifest that vouches for it.
 */
public final class CheckpointStore implements Checkpointer {
    private static final Logger LOG = Logger.getLogger(CheckpointStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMPLETE = Pattern.compile("step-(\\d{7,})");
    static final String MODEL = "model.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "trainer_state.json";
    static final String JOB = "job.yaml";
    private static final String FIRST_MOMENT = "exp_avg/";
    private static final String SECOND_MOMENT = "exp_avg_sq/";

    private final Path dir;
    private final int keep;
    private final CausalLm policy;
    private final String jobYaml;
    private Consumer<SavedCheckpoint> onSaved = c -> { };
    private Consumer<SavedCheckpoint> onRemoved = c -> { };

    public CheckpointStore(Path dir, int keep, CausalLm policy, String jobYaml) {
        this.dir = dir;
        this.keep = Math.max(1, keep);
        this.policy = policy;
        this.jobYaml = jobYaml;
    }

    public CheckpointStore onSaved(Consumer<SavedCheckpoint> listener) {
        this.onSaved = listener;
        return this;
    }

    /** Told about each checkpoint retention deletes. */
    public CheckpointStore onRemoved(Consumer<SavedCheckpoint> listener) {
        this.onRemoved = listener;
        return this;
    }

    public static String folderName(long step) {
        return String.format("step-%07d", step);
    }

    @Override
    public void save(LoopState state, AdamW optimizer) throws IOException {
        Files.createDirectories(dir);
        String name = folderName(state.step());
        Path partial = dir.resolve(name + ".partial");
        deleteTree(partial);
        Files.createDirectories(partial);
        Map<String, String> meta = Map.of("format", "pt", "step", Long.toString(state.step()));
        SafetensorsWriter.write(partial.resolve(MODEL), tensors(policy.parameters(), ""), DType.F32, meta);
        List<TensorData> moments = new ArrayList<>(tensors(optimizer.firstMoments(), FIRST_MOMENT));
        moments.addAll(tensors(optimizer.secondMoments(), SECOND_MOMENT));
        SafetensorsWriter.write(partial.resolve(OPTIMIZER), moments, DType.F32, meta);
        AtomicWrite.bytes(partial.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        AtomicWrite.bytes(partial.resolve(JOB), jobYaml.getBytes(StandardCharsets.UTF_8));
        CheckpointManifest.describe(partial, state.step(), List.of(MODEL, OPTIMIZER, STATE, JOB)).write(partial);
        AtomicWrite.fsyncDirectory(partial);

        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            // The same step saved again (a resumed run's final step): the old copy goes only once the new one is whole.
            Path old = dir.resolve(name + ".replaced");
            deleteTree(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        }
        AtomicWrite.fsyncDirectory(dir);
        SavedCheckpoint saved = new SavedCheckpoint(state.step(), target, Instant.now());
        LOG.info("checkpoint saved: " + target);
        onSaved.accept(saved);
        applyRetention();
    }

    private static List<TensorData> tensors(Map<String, NDArray> arrays, String prefix) {
        List<TensorData> out = new ArrayList<>();
        arrays.forEach((name, a) -> out.add(new TensorData(prefix + name, a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    /** Complete checkpoints, newest first (folder names only; contents are verified on load). */
    public List<SavedCheckpoint> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<SavedCheckpoint> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : (Iterable<Path>) children::iterator) {
                Matcher m = COMPLETE.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p.resolve(CheckpointManifest.FILE))) {
                    found.add(new SavedCheckpoint(Long.parseLong(m.group(1)), p,
                            Files.getLastModifiedTime(p.resolve(CheckpointManifest.FILE)).toInstant()));
                }
            }
        }
        found.sort(Comparator.comparingLong(SavedCheckpoint::step).reversed());
        return found;
    }

    private void applyRetention() throws IOException {
        List<SavedCheckpoint> all = list();
        for (SavedCheckpoint old : all.subList(Math.min(keep, all.size()), all.size())) {
            deleteCheckpoint(old.path());
            onRemoved.accept(old);
        }
    }

    /** Data first, then the manifest that vouches for it, then the folder: a half-deleted checkpoint never verifies. */
    private static void deleteCheckpoint(Path checkpoint) throws IOException {
        for (String f : List.of(MODEL, OPTIMIZER, STATE, JOB)) {
            Files.deleteIfExists(checkpoint.resolve(f));
        }
        Files.deleteIfExists(checkpoint.resolve(CheckpointManifest.FILE));
        deleteTree(checkpoint);
    }

    /** The newest checkpoint that verifies, skipping (with a warning) any that is incomplete or damaged. */
    public Optional<Restorable> latestComplete() throws IOException {
        for (SavedCheckpoint c : list()) {
            Optional<String> problem = CheckpointManifest.verify(c.path());
            if (problem.isPresent()) {
                LOG.warning("skipping checkpoint " + c.path() + ": " + problem.get());
                continue;
            }
            LoopState state = JSON.readValue(c.path().resolve(STATE).toFile(), LoopState.class);
            return Optional.of(new Restorable(c, state));
        }
        return Optional.empty();
    }

    /** A verified checkpoint, ready to be loaded into a policy and its optimiser. */
    public record Restorable(SavedCheckpoint checkpoint, LoopState state) {

        /** Overwrites the policy's weights in place and restores the optimiser's moments and step count. */
        public void restoreInto(CausalLm policy, AdamW optimizer) throws IOException {
            Path dir = checkpoint.path();
            Map<String, float[]> first = new LinkedHashMap<>();
            Map<String, float[]> second = new LinkedHashMap<>();
            try (SafetensorsReader weights = SafetensorsReader.open(dir.resolve(MODEL));
                    SafetensorsReader moments = SafetensorsReader.open(dir.resolve(OPTIMIZER))) {
                for (Map.Entry<String, NDArray> e : policy.parameters().entrySet()) {
                    if (!weights.contains(e.getKey())) {
                        throw new IOException(dir + ": checkpoint has no tensor " + e.getKey()
                                + " (was it written for another model?)");
                    }
                    overwrite(e.getValue(), weights.readFloats(e.getKey()));
                    if (moments.contains(FIRST_MOMENT + e.getKey())) {
                        first.put(e.getKey(), moments.readFloats(FIRST_MOMENT + e.getKey()));
                        second.put(e.getKey(), moments.readFloats(SECOND_MOMENT + e.getKey()));
                    }
                }
            }
            if (!first.isEmpty()) {
                optimizer.restore(state.optimizerSteps(), first, second, policy.parameters());
            }
        }

        /**
         * Replaces a parameter's values in place (the model holds the array object itself). {@code NDArray.set} is
         * not used: on CPU it copies into storage that may live in a Java direct buffer, which the array stops
         * referencing, so the garbage collector can free memory the tensor still uses. A clone owns its memory.
         */
        private static void overwrite(NDArray parameter, float[] values) {
            try (NDArray loaded = parameter.getManager().create(values, parameter.getShape())) {
                ((PtNDArray) parameter).intern(loaded.duplicate());
            }
        }
    }

    /** Removes folders a crash left half-written, so they neither confuse a reader nor fill the volume. */
    public void removeUnfinished() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : (Iterable<Path>) children::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".partial") || n.endsWith(".replaced")) {
                    LOG.info("removing unfinished checkpoint folder " + p);
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
