package io.splitroute.lists.format;

/** A reader for one list format: turns a list's text into rules and problems. */
public interface ListFormat {
    /** Returns which format this reader understands. */
    ListFormatKind kind();

    /**
     * Reads a list. Never fails on a bad line: the line is skipped and reported in
     * {@link ParsedList#problems()}.
     *
     * @param listName the list name from the config, recorded in every rule's origin
     * @param source the path, URL or resource name, recorded in origins and problems
     * @param text the whole content
     * @return the rules, problems and counts
     */
    ParsedList parse(String listName, String source, String text);
}
