package dev.prefalign.trainer.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by the build), for --version. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = TrainerCli.class.getPackage().getImplementationVersion();
        return new String[] {"prefalign-trainer " + (v == null ? "dev" : v)};
    }
}
