package dev.prefalign.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchAllocatorNoteTest {

    @Test
    void saysWhichAllocatorServedAndHowToGetFullSpeed() {
        assertThat(BenchCommand.allocatorNote(null, null)).startsWith("allocator: the C library's malloc")
                .contains("MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:60000,muzzy_decay_ms:60000");
        assertThat(BenchCommand.allocatorNote("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", null))
                .isEqualTo("allocator: jemalloc, MALLOC_CONF=(default); set "
                        + "MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:60000,muzzy_decay_ms:60000 for full speed");
        assertThat(BenchCommand.allocatorNote("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                "oversize_threshold:0,dirty_decay_ms:60000,muzzy_decay_ms:60000"))
                .isEqualTo("allocator: jemalloc, MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:60000,muzzy_decay_ms:60000");
    }
}
