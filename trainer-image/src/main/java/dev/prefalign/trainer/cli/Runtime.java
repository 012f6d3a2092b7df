package dev.prefalign.trainer.cli;

/**
 * Process-wide settings applied before the engine starts: offline mode (the native library is on the classpath, nothing
 * is ever downloaded), and intra-op threads equal to the CPUs this process may use (containers included).
 */
final class Runtime {
    private Runtime() {
    }

    static void configure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(java.lang.Runtime.getRuntime().availableProcessors()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // DJL probes CUDA on every start and warns on machines without a GPU driver: noise, not news.
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        setIfAbsent("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
        // Report charts are drawn without a display (a pod, a CI runner, ssh).
        setIfAbsent("java.awt.headless", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
