package dev.sett.api;

/**
 * When a write is forced to stable storage.
 */
public enum SyncMode {
  /**
   * The operating system decides when written pages reach the disk. A write survives a crash of the
   * process as soon as the call returns (it is in the page cache), but not a power loss or kernel
   * crash until {@link Store#sync()} returns or the store is closed.
   */
  NONE,
  /**
   * Every write is durable when its call returns. Concurrent writers share one {@code fsync}
   * (group commit), so throughput grows with the number of writing threads.
   */
  ALWAYS
}
