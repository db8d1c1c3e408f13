package dev.sett.api;

/**
 * What the JMX MBean of an open store shows: its {@link StoreStats} and the health of its background
 * tasks, as attributes a JMX client (JConsole, VisualVM, a Prometheus JMX exporter) reads. A store
 * opened with {@link StoreOptions#jmx()} (the default) registers one in the platform MBean server
 * under {@code dev.sett:type=Store,name="<absolute store directory>"} (the name quoted with
 * {@code ObjectName.quote}) and unregisters it when it closes.
 *
 * <p>Each attribute reads {@link Store#stats()}, which takes the store's write lock for a moment; the
 * figures are taken at most once a second and shared by the reads in between, so a client reading
 * every attribute in one go sees one consistent set and costs the store one {@code stats()} call.
 * Reading an attribute after the store closed fails with an {@link IllegalStateException}.
 *
 * <p>A JMX client can use this interface through {@code JMX.newMXBeanProxy}; implementations are
 * thread-safe.
 */
public interface StoreMXBean {
  /** {@return the store's directory} */
  String getDirectory();

  /** {@return whether the store was opened read-only} */
  boolean isReadOnly();

  /** {@return segment files, including the active one ({@link StoreStats#segmentCount()})} */
  int getSegmentCount();

  /** {@return bytes the segment files occupy ({@link StoreStats#diskBytes()})} */
  long getDiskBytes();

  /** {@return bytes of records written into the segments ({@link StoreStats#dataBytes()})} */
  long getDataBytes();

  /** {@return keys in the index ({@link StoreStats#liveKeys()})} */
  long getLiveKeys();

  /** {@return bytes of the records that hold current values ({@link StoreStats#liveBytes()})} */
  long getLiveBytes();

  /** {@return bytes of records compaction may drop ({@link StoreStats#deadBytes()})} */
  long getDeadBytes();

  /** {@return bytes of tombstones that still shadow an older record ({@link StoreStats#tombstoneBytes()})} */
  long getTombstoneBytes();

  /** {@return sequence number of the last write ({@link StoreStats#lastSequence()})} */
  long getLastSequence();

  /** {@return heap bytes held by the in-memory indexes, an estimate ({@link StoreStats#indexBytes()})} */
  long getIndexBytes();

  /** {@return snapshots not yet closed ({@link StoreStats#openSnapshots()})} */
  int getOpenSnapshots();

  /** {@return compactions that reclaimed at least one segment since open ({@link StoreStats#compactionsRun()})} */
  long getCompactionsRun();

  /** {@return bytes of segment files compaction retired since open ({@link StoreStats#bytesReclaimed()})} */
  long getBytesReclaimed();

  /** {@return time spent compacting since open, in nanoseconds ({@link StoreStats#compactionNanos()})} */
  long getCompactionNanos();

  /** {@return bytes of files no longer part of the store that are still mapped ({@link StoreStats#retainedBytes()})} */
  long getRetainedBytes();

  /** {@return disk bytes per byte of live data ({@link StoreStats#spaceAmplification()})} */
  double getSpaceAmplification();

  /**
   * {@return whether no background task has failed since the store was opened} A task that is not
   * running is not a failure by itself: compaction runs only with {@link StoreOptions#autoCompaction()},
   * and the sealer starts at the first segment roll.
   */
  boolean isBackgroundTasksHealthy();

  /** {@return failures of all background tasks since open (see {@link BackgroundTaskStats#failures()})} */
  long getBackgroundTaskFailures();

  /**
   * {@return one line per background task: name, whether it runs, its failures and its last failure}
   * For example {@code compaction: running, 0 failures}.
   */
  String[] getBackgroundTasks();
}
