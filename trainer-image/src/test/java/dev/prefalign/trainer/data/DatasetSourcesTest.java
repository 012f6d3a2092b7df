package dev.prefalign.trainer.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetSourcesTest {

    @TempDir
    Path dir;

    private List<String> resolve(String split) throws DatasetException {
        return DatasetSources.resolve(dir, split).stream().map(p -> DatasetSources.slashed(dir.relativize(p))).toList();
    }

    private void touch(String... relativePaths) throws IOException {
        for (String path : relativePaths) {
            TestFiles.write(dir.resolve(path), "{}");
        }
    }

    @Test
    void singleFileIgnoresTheSplit() throws Exception {
        Path file = TestFiles.write(dir.resolve("my-prefs.jsonl"), "{}");

        assertThat(DatasetSources.resolve(file, "validation")).containsExactly(file);
        assertThat(DatasetSources.resolve(file, null)).containsExactly(file);
    }

    @Test
    void hubLayoutSeparatesTrainFromTrainPrefs() throws Exception {
        touch("data/train_prefs-00000-of-00001.parquet", "data/train-00001-of-00002.parquet",
                "data/train-00000-of-00002.parquet", "data/test_prefs-00000-of-00001.parquet", "README.md",
                ".gitattributes");

        assertThat(resolve("train"))
                .containsExactly("data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet");
        assertThat(resolve("train_prefs")).containsExactly("data/train_prefs-00000-of-00001.parquet");
        assertThat(resolve("test_prefs")).containsExactly("data/test_prefs-00000-of-00001.parquet");
    }

    @Test
    void splitFoldersAndSplitFileNames() throws Exception {
        touch("test/part-1.jsonl", "test/part-0.jsonl", "train/part-0.jsonl", "validation.jsonl", "validation_0.json",
                "validation_extra.jsonl", "default/train/0000.parquet");

        assertThat(resolve("test")).containsExactly("test/part-0.jsonl", "test/part-1.jsonl");
        assertThat(resolve("train")).containsExactly("default/train/0000.parquet", "train/part-0.jsonl");
        assertThat(resolve("validation")).containsExactly("validation.jsonl", "validation_0.json");
    }

    @Test
    void hiddenFoldersAndDatasetsMetadataAreNotData() throws Exception {
        touch(".cache/train.jsonl", "train/dataset_info.json", "train/state.json", "train.parquet");

        assertThat(resolve("train")).containsExactly("train.parquet");
    }

    @Test
    void missingSplitListsTheSplitsFound() throws Exception {
        touch("data/train_prefs-00000-of-00001.parquet", "data/test_prefs-00000-of-00001.parquet", "test/part-0.jsonl");

        assertThatThrownBy(() -> resolve("train"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("has no files for split 'train'")
                .hasMessageContaining("Splits found: test, test_prefs, train_prefs")
                .hasMessageContaining("data/test_prefs-00000-of-00001.parquet");
    }

    @Test
    void folderWithoutDataFiles() throws Exception {
        touch("README.md");
        Files.writeString(dir.resolve("data-00000-of-00001.arrow"), "");

        assertThatThrownBy(() -> resolve("train"))
                .hasMessageContaining("holds no .jsonl, .json or .parquet file")
                .hasMessageContaining("save_to_disk");
    }

    @Test
    void missingSourceUnsupportedFileAndMissingSplitName() throws Exception {
        assertThatThrownBy(() -> DatasetSources.resolve(dir.resolve("nope"), "train"))
                .isInstanceOf(DatasetException.class).hasMessageContaining("nope does not exist");

        Path csv = TestFiles.write(dir.resolve("prefs.csv"), "prompt,chosen,rejected");
        assertThatThrownBy(() -> DatasetSources.resolve(csv, "train")).hasMessageContaining("unsupported type");

        assertThatThrownBy(() -> DatasetSources.resolve(dir, " ")).hasMessageContaining("name the split");
    }

    @Test
    void splitMatchingRules() {
        assertThat(DatasetSources.belongsToSplit(Path.of("train-00000-of-00001.parquet"), "train")).isTrue();
        assertThat(DatasetSources.belongsToSplit(Path.of("train.jsonl"), "train")).isTrue();
        assertThat(DatasetSources.belongsToSplit(Path.of("train_0.jsonl"), "train")).isTrue();
        assertThat(DatasetSources.belongsToSplit(Path.of("train_prefs.jsonl"), "train")).isFalse();
        assertThat(DatasetSources.belongsToSplit(Path.of("trainer.jsonl"), "train")).isFalse();
        assertThat(DatasetSources.belongsToSplit(Path.of("train"), "train")).isFalse();
        assertThat(DatasetSources.belongsToSplit(Path.of("train/x/shard.jsonl"), "train")).isTrue();
        assertThat(DatasetSources.belongsToSplit(Path.of("x/train"), "train")).isFalse();
    }
}
