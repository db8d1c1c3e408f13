package dev.sett.api;

import java.nio.file.Path;

/**
 * An open key-value store. Obtain one with {@code dev.sett.core.Sett.open(dir)}.
 *
 * <p><b>Lifetime.</b> Open until {@link #close()}, which is idempotent, syncs written data to disk,
 * closes every snapshot, and releases the directory lock and the mappings. Any later call throws
 * {@link StoreClosedException}.
 *
 * <p><b>Threading.</b> Thread-safe. Writes are serialised internally; reads run in parallel with
 * each other and with writes, and never block.
 *
 * <p><b>Reads.</b> {@link #get(byte[])} copies the value into a new array. For zero-copy reads use
 * {@link #snapshot()} (views valid until the snapshot closes) or {@link #read(byte[], ValueReader)}
 * and {@link #readLong(byte[], LongValueReader, long)} (a view valid during a callback, without
 * allocating).
 */
public interface Store extends AutoCloseable {

  /**
   * Sets {@code key} to {@code value}. Durable on return under {@link SyncMode#ALWAYS}.
   *
   * @throws InvalidInputException for a null or empty key, a null value, or sizes over the limits
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws StorageException if the file system failed
   */
  void put(byte[] key, byte[] value);

  /**
   * A copy of the value of {@code key}.
   *
   * @return a new array, or null if the key is absent
   */
  byte[] get(byte[] key);

  /**
   * Reads the value of {@code key} in place: {@code reader} gets a view of the mapped bytes, valid
   * only during the call.
   *
   * @return what the reader returned, or null if the key is absent (the reader is then not called)
   */
  <R> R read(byte[] key, ValueReader<R> reader);

  /**
   * Reads the value of {@code key} in place without allocating.
   *
   * @return what the reader returned, or {@code ifAbsent} if the key is absent
   */
  long readLong(byte[] key, LongValueReader reader, long ifAbsent);

  /** Whether {@code key} has a value. */
  boolean contains(byte[] key);

  /**
   * Removes {@code key}; removing an absent key is not an error.
   *
   * @throws InvalidInputException for a null or empty key
   * @throws ReadOnlyStoreException if the store was opened read-only
   */
  void delete(byte[] key);

  /**
   * Applies every operation of {@code batch}, atomically: readers and recovery see all of them or
   * none. An empty batch does nothing.
   *
   * @throws InvalidInputException if any operation breaks a limit (then nothing is written), or the
   *     batch does not fit in one segment
   */
  void write(WriteBatch batch);

  /** A point-in-time view for zero-copy reads and ordered scans; close it when done. */
  Snapshot snapshot();

  /**
   * Forces every write that returned before this call to stable storage.
   *
   * @throws StorageException if the file system failed (the store then refuses further writes)
   */
  void sync();

  /**
   * Runs compaction now, in the calling thread: picks the segments whose dead share crosses the
   * thresholds in {@link StoreOptions} (the active one too, which is sealed first), copies their
   * live records forward and retires them. Safe while readers hold views: a retired segment is
   * unmapped and deleted only when no snapshot or read can reach it.
   *
   * <p>Not from inside a read callback: it waits for running reads to finish, so it throws
   * {@link StoreException} there.
   *
   * @param force also compact segments below the thresholds that hold any dead record
   * @return what was done
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws CorruptionException if a record to copy fails its checksum (nothing is retired)
   */
  CompactionResult compact(boolean force);

  /**
   * The ids of the segments {@link #compact(boolean)} would take now, without compacting anything
   * (a dry run). Works on read-only stores too.
   */
  java.util.List<Integer> compactionPlan(boolean force);

  /** {@link #compact(boolean) compact(false)}: what background compaction would do, now. */
  default CompactionResult compact() {
    return compact(false);
  }

  /** Current figures. */
  StoreStats stats();

  /** The store's directory. */
  Path directory();

  /** The options the store was opened with. */
  StoreOptions options();

  /**
   * Syncs, closes every snapshot, waits for running reads, unmaps and unlocks. Idempotent. Not from
   * inside a read callback (it would wait for itself): it throws {@link StoreException} there.
   */
  @Override
  void close();
}
