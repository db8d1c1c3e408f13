package dev.sett.api;

/**
 * A read-write transaction with serializable isolation: it reads at a snapshot, buffers its writes,
 * and commits them atomically, as one batch, only if nothing it read has changed since its
 * snapshot. Obtain one with {@link Store#beginTransaction()}, or let {@link Store#update} and
 * {@link Store#compute} run one and retry it on conflict.
 *
 * <pre>{@code
 * store.update(txn -> {
 *   ByteView from = txn.get(alice);
 *   ByteView to = txn.get(bob);
 *   txn.put(alice, longBytes(from.getLong(0) - 10));
 *   txn.put(bob, longBytes(to.getLong(0) + 10));
 * });
 * }</pre>
 *
 * <p><b>Isolation.</b> Every read sees the store as of {@link #sequence()} plus the transaction's own
 * writes. {@link #commit()} succeeds only if every key the transaction read — by {@link #get},
 * {@link #contains} or a conditional write, including keys it found absent — still has the version
 * it read, and no key in the part of a range a {@link #scan} walked was written, added or removed
 * since the snapshot (no phantoms). The check and the writes happen atomically, under the store's
 * write lock, so committed transactions behave as if each ran alone at its commit. Writes to keys
 * the transaction did not read never conflict (blind writes are last-writer-wins, as plain puts
 * are). A transaction that wrote nothing never conflicts: its commit does nothing.
 *
 * <p><b>Scans and phantoms.</b> A scan counts as a read of the part of its range the cursor walked:
 * from the range's start to the last entry {@link Cursor#next()} returned, or the whole range if
 * the cursor ran to its end. A write anywhere in that part makes the commit fail; a write beyond the
 * point where the caller stopped does not. Checking a scan at commit costs a walk over that part of
 * the range while the write lock is held.
 *
 * <p><b>Lifetime.</b> Open until {@link #commit()} or {@link #close()}. After a commit (whether it
 * succeeded or threw {@link ConflictException}) reads and writes throw {@link StoreClosedException};
 * views and cursors obtained from the transaction stay valid until {@link #close()}, which releases
 * its snapshot and discards uncommitted writes. Close is idempotent; closing the store closes its
 * transactions. An open transaction holds its snapshot's segments on disk, as a {@link Snapshot} does.
 *
 * <p><b>Threading.</b> A transaction belongs to one thread at a time. Many transactions may run
 * concurrently in one store.
 */
public interface Transaction extends AutoCloseable {

  /**
   * The value of {@code key} as this transaction sees it: its own write if it wrote the key, else
   * the value at its snapshot. Zero-copy: the view stays valid until the transaction closes.
   *
   * @param key the key
   * @return a view of the value, or null if the key is absent
   * @throws InvalidInputException if the key is null or empty
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   * @throws CorruptionException if the record found is damaged (checked when
   *     {@link StoreOptions#verifyChecksums()} is on)
   */
  ByteView get(byte[] key);

  /**
   * Whether {@code key} has a value as this transaction sees it; a read, as {@link #get} is.
   *
   * @param key the key
   * @return true if it has one
   * @throws InvalidInputException if the key is null or empty
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  boolean contains(byte[] key);

  /**
   * Sets {@code key} to {@code value} when the transaction commits. Later reads in this transaction
   * see it. The value is copied.
   *
   * @param key the key, 1 to {@link StoreOptions#maxKeySize()} bytes
   * @param value the value, 0 to {@link StoreOptions#maxValueSize()} bytes
   * @throws InvalidInputException for a null or empty key, a null value, or sizes over the limits
   * @throws ReadOnlyStoreException if the store or the transaction is read-only
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  void put(byte[] key, byte[] value);

  /**
   * As {@link #put(byte[], byte[])}, for a value that expires {@code ttl} after the commit (see
   * {@link Store#put(byte[], byte[], java.time.Duration)}).
   *
   * @param key the key
   * @param value the value
   * @param ttl how long the value lives once committed; positive
   * @throws InvalidInputException for a null or empty key, a null value, sizes over the limits, or
   *     a ttl that is not positive
   * @throws ReadOnlyStoreException if the store or the transaction is read-only
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  void put(byte[] key, byte[] value, java.time.Duration ttl);

  /**
   * Removes {@code key} when the transaction commits; removing an absent key is not an error.
   *
   * @param key the key
   * @throws InvalidInputException for a null or empty key
   * @throws ReadOnlyStoreException if the store or the transaction is read-only
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  void delete(byte[] key);

  /**
   * Writes {@code value} only if {@code key} has no value as this transaction sees it. The check is
   * a read: if another write gives the key a value before this transaction commits, the commit
   * fails with {@link ConflictException}.
   *
   * @param key the key
   * @param value the value
   * @return true if the write was buffered, false if the key had a value
   * @throws InvalidInputException for a null or empty key, a null value, or sizes over the limits
   * @throws ReadOnlyStoreException if the store or the transaction is read-only
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  boolean putIfAbsent(byte[] key, byte[] value);

  /**
   * Writes {@code value} only if {@code key}'s value, as this transaction sees it, is exactly
   * {@code expected}. The check is a read, as for {@link #putIfAbsent}.
   *
   * @param key the key
   * @param expected the value the key must have; not null
   * @param value the new value
   * @return true if the write was buffered
   * @throws InvalidInputException for a null key, expected value or value, or sizes over the limits
   * @throws ReadOnlyStoreException if the store or the transaction is read-only
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  boolean replace(byte[] key, byte[] expected, byte[] value);

  /**
   * Removes {@code key} only if its value, as this transaction sees it, is exactly {@code expected}.
   * The check is a read, as for {@link #putIfAbsent}.
   *
   * @param key the key
   * @param expected the value the key must have; not null
   * @return true if the delete was buffered
   * @throws InvalidInputException for a null key or expected value
   * @throws ReadOnlyStoreException if the store or the transaction is read-only
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  boolean delete(byte[] key, byte[] expected);

  /**
   * The entries of {@code range} as this transaction sees them: its snapshot merged with its own
   * writes (its deletes hide keys, its puts add or replace them). The part of the range walked
   * counts as read (see the class description). Views stay valid until the transaction closes.
   *
   * @param range the keys to visit, in either direction
   * @return a cursor, closed by the caller or when the transaction closes
   * @throws InvalidInputException if the range is null
   * @throws StoreClosedException if the transaction has committed or closed, or the store closed
   */
  Cursor scan(KeyRange range);

  /** {@return the sequence number of the snapshot this transaction reads} */
  long sequence();

  /** {@return whether this transaction was begun read-only} */
  boolean isReadOnly();

  /**
   * Writes the buffered writes atomically, as one batch, if nothing this transaction read has
   * changed since its snapshot; durable on return under {@link SyncMode#ALWAYS}. A transaction that
   * wrote nothing commits without checking anything. Either way the transaction is over: later
   * reads and writes throw {@link StoreClosedException}, but views stay valid until close.
   *
   * @throws ConflictException if a key or range it read was written since its snapshot (nothing
   *     was written; run the transaction again)
   * @throws StoreClosedException if the transaction has already committed or closed
   * @throws InvalidInputException if the writes do not fit in one segment as a batch (nothing was
   *     written)
   * @throws StorageException if the file system failed
   */
  void commit();

  /**
   * Ends the transaction: discards writes not committed, closes its cursors and releases its
   * snapshot (its views become unusable). Idempotent.
   */
  @Override
  void close();
}
