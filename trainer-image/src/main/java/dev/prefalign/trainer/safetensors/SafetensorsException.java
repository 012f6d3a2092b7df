package dev.prefalign.trainer.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** A safetensors file (or model folder) that cannot be read or written; the message names the file and tensor. */
public class SafetensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;

    SafetensorsException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    SafetensorsException(Path file, String tensor, String problem, Throwable cause) {
        super(describe(file, tensor, problem), cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file or folder at fault. */
    public Path file() {
        return file;
    }

    /** The tensor at fault, if the problem concerns one tensor. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    private static String describe(Path file, String tensor, String problem) {
        return file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + problem;
    }
}
