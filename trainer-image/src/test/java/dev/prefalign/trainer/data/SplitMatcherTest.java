package dev.prefalign.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The split rules on repository paths, as the Hub downloader applies them to a repository's file list. */
class SplitMatcherTest {

    @Test
    void dataFilesAreReadableNonMetadataNonHidden() {
        assertThat(SplitMatcher.isDataFile("data/train-00000-of-00001.parquet")).isTrue();
        assertThat(SplitMatcher.isDataFile("train.JSONL")).isTrue();
        assertThat(SplitMatcher.isDataFile("dataset_infos.json")).isFalse();
        assertThat(SplitMatcher.isDataFile(".cache/train.jsonl")).isFalse();
        assertThat(SplitMatcher.isDataFile("README.md")).isFalse();
        assertThat(SplitMatcher.isDataFile("train.csv")).isFalse();
    }

    @Test
    void splitsByNameOrFolder() {
        assertThat(SplitMatcher.belongsToSplit("data/train-00000-of-00002.parquet", "train")).isTrue();
        assertThat(SplitMatcher.belongsToSplit("data/train_prefs-00000-of-00001.parquet", "train")).isFalse();
        assertThat(SplitMatcher.belongsToSplit("data/train_prefs-00000-of-00001.parquet", "train_prefs")).isTrue();
        assertThat(SplitMatcher.belongsToSplit("default/test/0000.parquet", "test")).isTrue();
        assertThat(SplitMatcher.belongsToSplit("test_0.json", "test")).isTrue();
        assertThat(SplitMatcher.splitNameOf("data/test_prefs-00000-of-00001.parquet")).isEqualTo("test_prefs");
        assertThat(SplitMatcher.splitNameOf("default/validation/0000.parquet")).isEqualTo("validation");
    }

    @Test
    void adviceListsTheSplitsFound() {
        String advice = SplitMatcher.missingSplitAdvice("train",
                List.of("data/test_prefs-00000-of-00001.parquet", "data/train_prefs-00000-of-00001.parquet"));
        assertThat(advice).startsWith("Splits found: test_prefs, train_prefs (files: data/test_prefs-")
                .contains("set dataset.split to one of the splits found");
    }
}
