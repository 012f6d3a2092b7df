package dev.prefalign.trainer.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * An exclusive lock on a lock file, between processes (an OS file lock) and between threads of this process (the OS
 * lock is held per process, so a JVM-wide lock per path comes first). Lock files are left in place: deleting one
 * while another process waits on it would let a third lock a new file of the same name at the same time.
 */
final class FileLocks {
    private static final Logger LOG = Logger.getLogger(FileLocks.class.getName());
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** A held lock; closing it releases both levels. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Blocks until the lock is ours; {@code what} names the file being protected, for the "waiting" line. */
    static Held acquire(Path lockFile, String what) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        if (!local.tryLock()) {
            LOG.info("waiting for another download of " + what + " in this process");
            local.lock();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                LOG.info("waiting for another process that downloads " + what + " (lock " + key + ")");
                lock = channel.lock();
            }
            FileChannel held = channel;
            FileLock fileLock = lock;
            return () -> {
                try {
                    fileLock.release();
                    held.close();
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }
}
