package dev.prefalign.trainer.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Peak memory of a phase of the process: resident set (native tensors included; Linux's VmHWM, reset through
 * /proc/self/clear_refs) and JVM heap (pool peaks). Where the kernel refuses the reset, the RSS peak is the process's.
 */
public final class PeakMemory {
    private PeakMemory() {
    }

    public static void reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or not permitted: the RSS figure then covers the whole process
        }
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Peak resident set size in bytes since the last reset, if the platform reports it. */
    public static OptionalLong residentBytes() {
        return statusField("VmHWM:");
    }

    /** Current resident set size in bytes. */
    public static OptionalLong currentResidentBytes() {
        return statusField("VmRSS:");
    }

    public static long heapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static OptionalLong statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String kb = line.substring(field.length()).trim().split("\\s+")[0];
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }
}
