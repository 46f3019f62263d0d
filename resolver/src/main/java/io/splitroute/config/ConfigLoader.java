package io.splitroute.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads the YAML config into a {@link SplitrouteConfig}: parses the document, hands each section to its reader
 * ({@link ConfigReader}), and reports every problem at once, each with its file, line and key path, in a
 * {@link ConfigException}.
 */
public final class ConfigLoader {
    /** The source name of the config embedded in the jar. */
    public static final String EMBEDDED = "embedded default";

    private static final String EMBEDDED_RESOURCE = "/io/splitroute/default.yaml";

    private ConfigLoader() {}

    /** Reads a config file. */
    public static SplitrouteConfig load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), file.toAbsolutePath().getParent());
    }

    /** Reads the config embedded in the jar (used when no {@code --config} is given). */
    public static SplitrouteConfig loadEmbedded() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + EMBEDDED_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), EMBEDDED, Path.of("."));
        } catch (IOException | ConfigException e) {
            throw new IllegalStateException("the embedded default config is broken: " + e.getMessage(), e);
        }
    }

    /** Returns the text of the embedded default config, for {@code --help} style output. */
    public static String embeddedText() throws IOException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Parses config text.
     *
     * @param text    the YAML
     * @param source  the file name used in problems
     * @param baseDir relative list paths are resolved against this directory
     */
    public static SplitrouteConfig parse(String text, String source, Path baseDir) throws ConfigException {
        YamlNodes yaml = new YamlNodes(source);
        Optional<Node> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(source).build();
            root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(List.of(new ConfigProblem(source, line, "(yaml)", e.getProblem())));
        } catch (RuntimeException e) {
            throw new ConfigException(List.of(new ConfigProblem(source, 0, "(yaml)", String.valueOf(e.getMessage()))));
        }
        if (root.isEmpty()) {
            throw new ConfigException(List.of(new ConfigProblem(source, 1, "(file)", "the config is empty")));
        }
        SplitrouteConfig config = ConfigReader.read(yaml, root.get(), source, baseDir);
        if (!yaml.problems().isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(yaml.problems());
            sorted.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
            throw new ConfigException(sorted);
        }
        return config;
    }
}
