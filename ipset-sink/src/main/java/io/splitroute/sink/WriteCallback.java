package io.splitroute.sink;

/**
 * Receives the outcome of one {@link SetWriter#add(SetTarget, java.util.List, WriteCallback)}: the lean
 * form of the future {@link SetWriter#add(SetTarget, java.util.List)} returns, for the hot path, where a
 * future and its continuation per answer would be most of the garbage a write makes.
 */
@FunctionalInterface
public interface WriteCallback {
    /**
     * Called once, when the kernel acknowledged the add or it failed, on the thread that wrote it (which
     * may be the caller's, before {@code add} returns). Keep it short; what it throws is logged and dropped.
     *
     * @param result the add's outcome; kernel errors and a closed writer are in {@link WriteResult#errors()}
     */
    void written(WriteResult result);
}
