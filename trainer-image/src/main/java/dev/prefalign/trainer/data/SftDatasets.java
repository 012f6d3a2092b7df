package dev.prefalign.trainer.data;

import java.nio.file.Path;

/** Reads supervised fine-tuning examples from a local dataset file or folder. */
public final class SftDatasets {

    private SftDatasets() {
    }

    /**
     * @param source     a .jsonl, .json or .parquet file (then {@code split} is ignored), or a dataset folder
     * @param maxSamples the number of valid examples to keep from the start; 0 keeps all
     */
    public static DatasetReadResult<SftExample> read(Path source, String split, DatasetFormat format,
            InvalidRowPolicy policy, int maxSamples) throws DatasetException {
        return ExampleCollector.read(new SftRowParser(), source, split, format, policy, maxSamples);
    }
}
