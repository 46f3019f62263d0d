package io.splitroute.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code splitroute lists}: commands about the domain lists ({@code update}). */
@Command(name = "lists", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Work with the domain lists of a config.",
        subcommands = {ListsUpdateCommand.class})
public final class ListsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** Without a subcommand: says which ones there are. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: splitroute lists update [--config FILE]");
    }
}
