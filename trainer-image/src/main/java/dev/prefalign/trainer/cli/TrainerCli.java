package dev.prefalign.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The trainer image's entrypoint. Exit codes (docs/trainer.md): 0 success, 1 crash (retry), 2 bad input (do not
 * retry), 3 interrupted after a checkpoint (resume).
 */
@Command(name = "prefalign-trainer", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "DPO, ORPO and SFT of Hugging Face causal language models from a PreferenceAlignmentJob manifest.",
        subcommands = {FetchCommand.class, RunCommand.class, EvaluateCommand.class, GenerateCommand.class,
                DemoCommand.class, BenchCommand.class, CompareCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class TrainerCli {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        Runtime.configure();
        CommandLine cli = new CommandLine(new TrainerCli());
        cli.setExecutionExceptionHandler(new ExitCodes.Handler());
        cli.setExitCodeExceptionMapper(ExitCodes::of);
        return cli.execute(args);
    }
}
