package dev.sett.api;

/**
 * A consistent, point-in-time view of the whole store: it shows every write that completed before
 * it was taken and none after, and a {@link WriteBatch} entirely or not at all.
 *
 * <p><b>Lifetime.</b> Values are returned as zero-copy {@link ByteView}s of the memory-mapped
 * segment files, valid until this snapshot is closed. An open snapshot keeps the segment files it
 * can reach from being deleted by compaction, so close it promptly (try-with-resources).
 * {@link #close()} is idempotent. Closing the store closes its snapshots.
 *
 * <p><b>Threading.</b> A snapshot may be read from several threads at once; its cursors may not be
 * shared.
 */
public interface Snapshot extends AutoCloseable {

  /**
   * The value of {@code key} as of this snapshot, as a read-only view of the mapping.
   *
   * @param key the key, 1 byte or more
   * @return the view, or null if the key was absent
   * @throws InvalidInputException if the key is null or empty
   * @throws StoreClosedException if the snapshot or its store was closed
   * @throws CorruptionException if checksum verification is on and the value is damaged
   */
  ByteView get(byte[] key);

  /**
   * Iterates the keys of {@code range} as of this snapshot.
   *
   * @param range the keys to visit, and in which direction
   * @return a cursor positioned before the first entry; its views stay valid until this snapshot
   *     closes
   * @throws StoreClosedException if the snapshot or its store was closed
   */
  Cursor scan(KeyRange range);

  /** {@return the sequence number of the last write this snapshot shows} */
  long sequence();

  @Override
  void close();
}
