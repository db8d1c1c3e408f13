package dev.sett.api;

import java.nio.file.Path;

/**
 * An open key-value store. Obtain one with {@code dev.sett.core.Sett.open(dir)}.
 *
 * <p><b>Lifetime.</b> Open until {@link #close()}, which is idempotent, syncs written data to disk,
 * closes every snapshot, and releases the directory lock, the mappings and the in-memory index (a
 * closed handle that stays referenced holds no memory per key). Any later call throws
 * {@link StoreClosedException}; a read racing the close either answers as if it had come before it
 * or throws that exception, never reports a stored key absent.
 *
 * <p><b>Threading.</b> Thread-safe. Writes are serialised internally; reads run in parallel with
 * each other and with writes, and never block.
 *
 * <p><b>Reads.</b> {@link #get(byte[])} copies the value into a new array. For zero-copy reads use
 * {@link #snapshot()} (views valid until the snapshot closes) or {@link #read(byte[], ValueReader)}
 * and {@link #readLong(byte[], LongValueReader, long)} (a view valid during a callback, without
 * allocating).
 *
 * <p><b>Read-modify-write.</b> {@link #update} and {@link #compute} run a serializable
 * {@link Transaction} and retry it on conflict; {@link #putIfAbsent}, {@link #replace} and
 * {@link #delete(byte[], byte[])} compare and set one key. Values may expire:
 * {@link #put(byte[], byte[], java.time.Duration)} and {@link StoreOptions#defaultTtl()}.
 */
public interface Store extends AutoCloseable {

  /**
   * Sets {@code key} to {@code value}. Durable on return under {@link SyncMode#ALWAYS}.
   *
   * @param key the key, 1 to {@link StoreOptions#maxKeySize()} bytes
   * @param value the value, 0 to {@link StoreOptions#maxValueSize()} bytes
   * @throws StoreClosedException if the store was closed
   * @throws InvalidInputException for a null or empty key, a null value, or sizes over the limits
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws StorageException if the file system failed
   */
  void put(byte[] key, byte[] value);

  /**
   * Sets {@code key} to {@code value} until {@code ttl} from now, by {@link StoreOptions#clock()}:
   * from then on every read treats the key as absent (a snapshot or transaction as of the time it
   * was taken), and compaction drops the record. A later put without a ttl replaces it with a
   * value that follows {@link StoreOptions#defaultTtl()}. A ttl too long to express (such as
   * {@code ChronoUnit.FOREVER.getDuration()}) never expires; one below a millisecond is rounded up.
   *
   * @param key the key, 1 to {@link StoreOptions#maxKeySize()} bytes
   * @param value the value, 0 to {@link StoreOptions#maxValueSize()} bytes
   * @param ttl how long the value lives; positive
   * @throws StoreClosedException if the store was closed
   * @throws InvalidInputException for a null or empty key, a null value, sizes over the limits, or
   *     a null, zero or negative ttl
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws StorageException if the file system failed
   */
  void put(byte[] key, byte[] value, java.time.Duration ttl);

  /**
   * A copy of the value of {@code key}.
   *
   * @param key the key
   * @return a new array, or null if the key is absent
   * @throws InvalidInputException if the key is null or empty
   * @throws StoreClosedException if the store was closed
   * @throws CorruptionException if the record found is damaged (every read checks when
   *     {@link StoreOptions#verifyChecksums()} is on)
   */
  byte[] get(byte[] key);

  /**
   * Reads the value of {@code key} in place: {@code reader} gets a view of the mapped bytes, valid
   * only during the call.
   *
   * @param <R> what the reader makes of the value
   * @param key the key
   * @param reader called once with the value if the key is present
   * @return what the reader returned, or null if the key is absent (the reader is then not called)
   * @throws InvalidInputException if the key is null or empty
   * @throws StoreClosedException if the store was closed
   * @throws CorruptionException if the record found is damaged (every read checks when
   *     {@link StoreOptions#verifyChecksums()} is on)
   */
  <R> R read(byte[] key, ValueReader<R> reader);

  /**
   * Reads the value of {@code key} in place without allocating.
   *
   * @param key the key
   * @param reader called once with the value if the key is present
   * @param ifAbsent what to return if the key is absent
   * @return what the reader returned, or {@code ifAbsent} if the key is absent
   * @throws InvalidInputException if the key is null or empty
   * @throws StoreClosedException if the store was closed
   * @throws CorruptionException if the record found is damaged (every read checks when
   *     {@link StoreOptions#verifyChecksums()} is on)
   */
  long readLong(byte[] key, LongValueReader reader, long ifAbsent);

  /**
   * Whether {@code key} has a value.
   *
   * @param key the key
   * @return true if it has one
   * @throws InvalidInputException if the key is null or empty
   * @throws StoreClosedException if the store was closed
   * @throws CorruptionException if the record found is damaged (every read checks when
   *     {@link StoreOptions#verifyChecksums()} is on)
   */
  boolean contains(byte[] key);

  /**
   * Removes {@code key}; removing an absent key is not an error.
   *
   * @param key the key
   * @throws StoreClosedException if the store was closed
   * @throws InvalidInputException for a null or empty key
   * @throws ReadOnlyStoreException if the store was opened read-only
   */
  void delete(byte[] key);

  /**
   * Sets {@code key} to {@code value} only if the key has no value, atomically: no other write to
   * the key comes between the check and the write. Durable on a true return under
   * {@link SyncMode#ALWAYS}.
   *
   * @param key the key, 1 to {@link StoreOptions#maxKeySize()} bytes
   * @param value the value, 0 to {@link StoreOptions#maxValueSize()} bytes
   * @return true if the value was written, false if the key had a value (nothing changed)
   * @throws StoreClosedException if the store was closed
   * @throws InvalidInputException for a null or empty key, a null value, or sizes over the limits
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws CorruptionException if the record it checks is damaged (checked when
   *     {@link StoreOptions#verifyChecksums()} is on)
   * @throws StorageException if the file system failed
   */
  boolean putIfAbsent(byte[] key, byte[] value);

  /**
   * Sets {@code key} to {@code value} only if its value is exactly {@code expected} (compared byte
   * by byte), atomically: no other write to the key comes between the check and the write.
   *
   * @param key the key, 1 to {@link StoreOptions#maxKeySize()} bytes
   * @param expected the value the key must have; not null (use {@link #putIfAbsent} for "no value")
   * @param value the new value, 0 to {@link StoreOptions#maxValueSize()} bytes
   * @return true if the value was written, false if the key had another value or none
   * @throws StoreClosedException if the store was closed
   * @throws InvalidInputException for a null or empty key, a null expected value or value, or sizes
   *     over the limits
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws CorruptionException if the record it checks is damaged (checked when
   *     {@link StoreOptions#verifyChecksums()} is on)
   * @throws StorageException if the file system failed
   */
  boolean replace(byte[] key, byte[] expected, byte[] value);

  /**
   * Removes {@code key} only if its value is exactly {@code expected}, atomically.
   *
   * @param key the key
   * @param expected the value the key must have; not null
   * @return true if the key was removed, false if it had another value or none
   * @throws StoreClosedException if the store was closed
   * @throws InvalidInputException for a null or empty key or a null expected value
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws CorruptionException if the record it checks is damaged (checked when
   *     {@link StoreOptions#verifyChecksums()} is on)
   * @throws StorageException if the file system failed
   */
  boolean delete(byte[] key, byte[] expected);

  /**
   * Applies every operation of {@code batch}, atomically: readers and recovery see all of them or
   * none. An empty batch does nothing.
   *
   * @param batch the operations; the store does not keep it
   * @throws ReadOnlyStoreException if the store was opened read-only
   * @throws StoreClosedException if the store was closed
   * @throws InvalidInputException if any operation breaks a limit (then nothing is written), or the
   *     batch does not fit in one segment
   */
  void write(WriteBatch batch);

  /**
   * A point-in-time view for zero-copy reads and ordered scans; close it when done.
   *
   * @return a new snapshot of every write that completed before this call
   * @throws StoreClosedException if the store was closed
   */
  Snapshot snapshot();

  /**
   * Begins a read-write transaction with serializable isolation (see {@link Transaction}); close
   * it when done.
   *
   * @return a new transaction reading at a snapshot of every write that completed before this call
   * @throws StoreClosedException if the store was closed
   */
  Transaction beginTransaction();

  /**
   * Begins a transaction that only reads: it never conflicts, tracks nothing, and costs what a
   * {@link #snapshot()} costs; its writes throw {@link ReadOnlyStoreException}.
   *
   * @return a new read-only transaction
   * @throws StoreClosedException if the store was closed
   */
  Transaction beginReadOnlyTransaction();

  /**
   * Runs {@code work} in a new transaction and commits it; if the commit fails with
   * {@link ConflictException}, runs it again in a fresh transaction, up to
   * {@link StoreOptions#transactionAttempts()} times, backing off between attempts (randomised,
   * growing from 50 µs to 10 ms). {@code work} may therefore run more than once: it should have no
   * effects outside the transaction. Any other exception from {@code work} ends the transaction
   * without writing anything and is rethrown. Durable on return under {@link SyncMode#ALWAYS}.
   *
   * @param work reads and writes through the transaction it is given; it need not commit or close it
   * @throws ConflictException if every attempt conflicted (its cause is the last conflict), or the
   *     thread was interrupted while backing off (the interrupt stays set)
   * @throws StoreClosedException if the store was closed
   */
  void update(java.util.function.Consumer<Transaction> work);

  /**
   * As {@link #update}, returning what {@code work} returned in the attempt that committed. Views
   * read in the transaction are not valid after this returns: return copies.
   *
   * @param <R> what {@code work} computes
   * @param work reads and writes through the transaction it is given and returns a result
   * @return the result of the attempt that committed
   * @throws ConflictException if every attempt conflicted
   * @throws StoreClosedException if the store was closed
   */
  <R> R compute(java.util.function.Function<Transaction, R> work);

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
   *
   * @param force as for {@link #compact(boolean)}
   * @return the segment ids, in the order compaction would take them
   */
  java.util.List<Integer> compactionPlan(boolean force);

  /**
   * {@link #compact(boolean) compact(false)}: what background compaction would do, now.
   *
   * @return what was done
   */
  default CompactionResult compact() {
    return compact(false);
  }

  /**
   * Brings a read-only handle up to date with the store's writer, which may be running in another
   * process: afterwards reads see every write the writer had committed (synced or only in the page
   * cache) when the refresh began, whole batches only. Snapshots taken before keep what they saw.
   * Where the writer only appended since (new records and segments), costs about what was appended:
   * the handle reads those and takes them in place. Once the writer's compaction has retired
   * segments, costs about what an open costs (hint files are read again, mappings made anew). Costs
   * nothing when the store has not changed. On a writable handle it does nothing: it always sees
   * its own writes.
   *
   * @throws StoreClosedException if the store was closed
   * @throws StorageException if the store's files cannot be read
   * @throws CorruptionException if a segment is damaged beyond a torn tail
   */
  void refresh();

  /**
   * Writes a consistent copy of the store into {@code target} while it stays in use: every write
   * up to one sequence number, and nothing after it. Writers are held up only for the instant it
   * takes to note which segments exist and where they end; the files are then written beside the
   * running store. Segments that are sealed (their hint file written) are hard-linked where the file
   * system allows (so a checkpoint costs little disk until compaction replaces them) and copied
   * otherwise; the segment being written is copied up to the noted end. Every file and the directory
   * are forced to disk before it returns. Restoring is opening {@code target} with {@code
   * dev.sett.core.Sett.open}: it is a store of its own. Works on a read-only handle too, as of what
   * the handle sees (see {@link #refresh()}).
   *
   * @param target a directory that does not exist or is empty, outside the store, whose parent exists
   * @return the sequence number the copy holds every write up to
   * @throws InvalidInputException if {@code target} is null, not empty, inside the store, or has no parent
   * @throws StorageException if a file cannot be read or written (the partial copy is left for the
   *     caller to delete)
   * @throws StoreClosedException if the store was closed
   */
  long checkpoint(Path target);

  /** {@return the current figures} */
  StoreStats stats();

  /** {@return the store's directory} */
  Path directory();

  /** {@return the options the store was opened with} */
  StoreOptions options();

  /**
   * Syncs, closes every snapshot, waits for running reads, unmaps, drops the index and unlocks.
   * Idempotent. Not from inside a read callback (it would wait for itself): it throws
   * {@link StoreException} there. A compaction running in another thread stops with
   * {@link StoreClosedException}, having deleted nothing.
   */
  @Override
  void close();
}
