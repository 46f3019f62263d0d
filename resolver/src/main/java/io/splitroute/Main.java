package io.splitroute;

/** Placeholder entry point; replaced by the picocli CLI. */
public final class Main {
    private Main() {}

    /** Runs the command line. */
    public static void main(String[] args) {
        System.out.println("splitroute");
    }
}
