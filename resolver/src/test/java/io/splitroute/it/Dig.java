package io.splitroute.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs the real {@code dig} (Debian {@code bind9-dnsutils}) against one server and parses what it prints:
 * status, header flags and the answer section of every reply.
 */
public final class Dig {

    private static final Pattern STATUS = Pattern.compile("->>HEADER<<-.*status: ([A-Z]+)");
    private static final Pattern FLAGS = Pattern.compile("^;; flags: ([a-z ]*);");
    private static final long PROCESS_TIMEOUT_SECONDS = 60;

    private final Path executable;
    private final String server;
    private final int port;

    /** Creates a runner of {@code executable} asking {@code server} (an IP literal) on {@code port}. */
    public Dig(Path executable, String server, int port) {
        this.executable = executable;
        this.server = server;
        this.port = port;
    }

    /** One parsed reply: rcode name as dig prints it, header flags, answer records, and dig's whole output. */
    public record Reply(String status, Set<String> flags, List<Answer> answers, String output) {

        /** Returns the data of the answers of {@code type} (e.g. the addresses of the A records). */
        public Set<String> data(String type) {
            return answers.stream().filter(a -> a.type().equals(type)).map(Answer::data).collect(Collectors.toSet());
        }
    }

    /** One answer record as dig prints it: owner name, TTL, type, and data. */
    public record Answer(String name, long ttl, String type, String data) {}

    /**
     * Runs {@code dig @server -p port +time=5 +tries=1 +noall +comments +answer ARGS} and returns its single
     * reply; {@code args} are names, types and dig options (e.g. {@code "+tcp"}) in dig's order.
     *
     * @throws IllegalStateException with dig's output if it printed no reply or not exactly one
     */
    public Reply query(String... args) {
        List<Reply> replies = queryAll(args);
        if (replies.size() != 1) {
            throw new IllegalStateException("expected one reply from dig " + String.join(" ", args) + ", got "
                    + replies.size() + ":\n" + replies.stream().map(Reply::output).findFirst().orElse(""));
        }
        return replies.getFirst();
    }

    /**
     * Like {@link #query} for a command line with several questions ({@code name type name type ...}):
     * returns one reply per question dig got an answer for, in order.
     */
    public List<Reply> queryAll(String... args) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "@" + server, "-p",
                Integer.toString(port), "+time=5", "+tries=1", "+noall", "+comments", "+answer"));
        command.addAll(Arrays.asList(args));
        String output = run(command);
        List<Reply> replies = parse(output);
        if (replies.isEmpty()) {
            throw new IllegalStateException("dig printed no reply for " + String.join(" ", command) + ":\n" + output);
        }
        return replies;
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("dig did not finish in " + PROCESS_TIMEOUT_SECONDS + " s: " + command);
            }
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** Splits dig's output at each reply header and parses each part. */
    static List<Reply> parse(String output) {
        List<Reply> replies = new ArrayList<>();
        String status = null;
        Set<String> flags = Set.of();
        List<Answer> answers = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n")) {
            Matcher statusMatch = STATUS.matcher(line);
            if (statusMatch.find()) {
                if (status != null) {
                    replies.add(new Reply(status, flags, List.copyOf(answers), text.toString()));
                }
                status = statusMatch.group(1);
                flags = Set.of();
                answers.clear();
                text.setLength(0);
            }
            text.append(line).append('\n');
            Matcher flagsMatch = FLAGS.matcher(line);
            if (flagsMatch.find()) {
                flags = Set.of(flagsMatch.group(1).trim().split(" +"));
            } else if (status != null && !line.isBlank() && !line.startsWith(";")) {
                String[] fields = line.trim().split("\\s+", 5);
                if (fields.length == 5) {
                    answers.add(new Answer(fields[0], Long.parseLong(fields[1]), fields[3], fields[4]));
                }
            }
        }
        if (status != null) {
            replies.add(new Reply(status, flags, List.copyOf(answers), text.toString()));
        }
        return replies;
    }
}
