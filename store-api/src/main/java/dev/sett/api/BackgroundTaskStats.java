package dev.sett.api;

/**
 * The health of one of a store's background tasks, as part of {@link StoreStats}. Immutable.
 *
 * <p>The tasks are {@code "compaction"} (reclaims space; runs only with
 * {@link StoreOptions#autoCompaction()}) and {@code "sealer"} (forces and writes the hint file of
 * each segment that stopped taking appends, and prepares the next segment file). A task that fails
 * keeps running and retries later, except where the failure makes that unsafe: compaction stops
 * for good on damaged data ({@code sett verify} shows where), and a failed force of the sealer
 * makes the store refuse writes until it is reopened (the write's exception carries the failure).
 *
 * @param name              the task's name
 * @param running           whether the task is still taking work
 * @param failures          how many times the task failed since the store was opened
 * @param lastFailure       the last failure's class and message, or null if it never failed
 * @param lastFailureMillis when the last failure happened (epoch milliseconds), or 0
 */
public record BackgroundTaskStats(String name, boolean running, long failures, String lastFailure,
    long lastFailureMillis) {
}
