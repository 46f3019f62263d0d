package io.splitroute.cli;

import io.splitroute.config.ConfigException;
import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the {@code --config} of a command, or the embedded default, and says on stderr why it cannot. */
final class ConfigFile {
    /** The exit status of a command whose config cannot be used. */
    static final int BAD_CONFIG = 2;

    private ConfigFile() {}

    /** Returns the config, or {@code null} after printing every problem (the command then exits {@link #BAD_CONFIG}). */
    static SplitrouteConfig load(Path file) {
        try {
            return file == null ? ConfigLoader.loadEmbedded() : ConfigLoader.load(file);
        } catch (NoSuchFileException e) {
            System.err.println("splitroute: config file not found: " + file);
        } catch (IOException e) {
            System.err.println("splitroute: cannot read " + file + ": " + e.getMessage());
        } catch (ConfigException e) {
            System.err.println("splitroute: " + e.getMessage());
        }
        return null;
    }
}
