package dev.prefalign.trainer.cli;

import dev.prefalign.trainer.demo.DemoRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Offline end-to-end demo: build a tiny model, SFT warm-up, then DPO and ORPO from the same start,",
                "and compare them before and after. No network; a few minutes on 2 CPU cores."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--work-dir", defaultValue = "prefalign-work/demo", paramLabel = "DIR",
            description = "Where the demo writes its model, data, manifests and runs. Default: ${DEFAULT-VALUE}.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        new DemoRunner(workDir, System.out, true).run();
        return ExitCodes.OK;
    }
}
