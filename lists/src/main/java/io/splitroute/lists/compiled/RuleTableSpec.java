package io.splitroute.lists.compiled;

import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a rule table is compiled from, named without reading any list: the routes in priority order, and for
 * each, in order, inline rules and the lists whose rules it takes; and where each list is read from. The
 * steps replay as {@link io.splitroute.lists.rule.RuleTable.Builder} calls in the same order, so a table
 * compiled from a spec equals one built by hand from the same calls. Immutable.
 */
public final class RuleTableSpec {
    private final List<Step> steps;
    private final Map<String, ListFile> lists;

    private RuleTableSpec(List<Step> steps, Map<String, ListFile> lists) {
        this.steps = List.copyOf(steps);
        this.lists = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lists));
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where a list is read from.
     *
     * @param name   the list name (from the config)
     * @param file   its file, or {@code bundled:gfwlist} for the snapshot in the jar
     * @param format its format, or {@code null} to detect it
     */
    public record ListFile(String name, Path file, ListFormatKind format) {
        /** Checks the components. */
        public ListFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
            if (format != null && format.ipList()) {
                throw new IllegalArgumentException(name + ": " + format.configName() + " is an IP-list format; a route takes domain lists");
            }
        }
    }

    /** One builder call: a route declared, an inline rule added, or a list's rules added. */
    sealed interface Step {
    }

    record DeclareRoute(String route) implements Step {
    }

    record AddRule(String route, Rule rule) implements Step {
    }

    record AddList(String route, String list) implements Step {
    }

    List<Step> steps() {
        return steps;
    }

    /** Returns the lists the routes take, each once, in the order first taken. */
    public List<ListFile> lists() {
        Set<String> used = new LinkedHashSet<>();
        for (Step s : steps) {
            if (s instanceof AddList add) {
                used.add(add.list());
            }
        }
        return used.stream().map(lists::get).toList();
    }

    /**
     * Returns the spec as canonical text: every step and list file, each field length-prefixed, so two
     * specs have equal text exactly when they compile to the same table from the same files.
     */
    String recipe() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            switch (s) {
                case DeclareRoute r -> sb.append("route ").append(field(r.route()));
                case AddRule a -> {
                    Rule rule = a.rule();
                    Origin o = rule.origin();
                    sb.append("rule ").append(field(a.route())).append(' ').append(rule.kind()).append(' ')
                            .append(rule.exception()).append(' ').append(field(rule.value())).append(' ')
                            .append(field(o.list())).append(' ').append(field(o.source())).append(' ')
                            .append(o.line()).append(' ').append(field(o.text()));
                }
                case AddList l -> sb.append("list ").append(field(l.route())).append(' ').append(field(l.list()));
            }
            sb.append('\n');
        }
        for (ListFile f : lists()) {
            sb.append("file ").append(field(f.name())).append(' ').append(field(f.file().toString())).append(' ')
                    .append(f.format() == null ? "detect" : f.format().configName()).append('\n');
        }
        return sb.toString();
    }

    private static String field(String s) {
        return s.length() + ":" + s;
    }

    /** Collects the steps; not thread-safe. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();
        private final Set<String> routes = new LinkedHashSet<>();
        private final Map<String, ListFile> lists = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Declares a route, as {@link io.splitroute.lists.rule.RuleTable.Builder#route(String)}.
         *
         * @param route the route name, unique
         * @return this builder
         */
        public Builder route(String route) {
            if (!routes.add(Objects.requireNonNull(route, "route"))) {
                throw new IllegalArgumentException("route \"" + route + "\" declared twice");
            }
            steps.add(new DeclareRoute(route));
            return this;
        }

        /**
         * Adds an inline rule (e.g. a route's {@code domains:} from the config) to a declared route.
         *
         * @param route a declared route
         * @param rule  the rule
         * @return this builder
         */
        public Builder rule(String route, Rule rule) {
            steps.add(new AddRule(declared(route), Objects.requireNonNull(rule, "rule")));
            return this;
        }

        /**
         * Adds the rules of a list to a declared route; the list's file is given by {@link #listFile}.
         *
         * @param route a declared route
         * @param list  the list name
         * @return this builder
         */
        public Builder list(String route, String list) {
            steps.add(new AddList(declared(route), Objects.requireNonNull(list, "list")));
            return this;
        }

        /**
         * Says where a list is read from.
         *
         * @param list   the list name
         * @param file   its file, or {@code bundled:gfwlist}
         * @param format its format, or {@code null} to detect it
         * @return this builder
         */
        public Builder listFile(String list, Path file, ListFormatKind format) {
            lists.put(list, new ListFile(list, file, format));
            return this;
        }

        private String declared(String route) {
            if (!routes.contains(route)) {
                throw new IllegalArgumentException("route \"" + route + "\" is not declared; declared: " + routes);
            }
            return route;
        }

        /**
         * Returns the spec.
         *
         * @throws IllegalArgumentException if a route takes a list whose file was not given
         */
        public RuleTableSpec build() {
            for (Step s : steps) {
                if (s instanceof AddList add && !lists.containsKey(add.list())) {
                    throw new IllegalArgumentException("route \"" + add.route() + "\" takes list \"" + add.list()
                            + "\", whose file is not given");
                }
            }
            return new RuleTableSpec(steps, lists);
        }
    }
}
