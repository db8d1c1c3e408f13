package dev.sett.api;

/**
 * Iterates the entries of a {@link KeyRange} in a {@link Snapshot}, in unsigned lexicographic key
 * order (or its reverse). Deleted keys are skipped.
 *
 * <pre>{@code
 * try (Snapshot s = store.snapshot(); Cursor c = s.scan(KeyRange.prefix(p))) {
 *   while (c.next()) {
 *     use(c.key(), c.value());
 *   }
 * }
 * }</pre>
 *
 * <p><b>Lifetime.</b> Views returned by {@link #key()} and {@link #value()} stay valid until the
 * snapshot closes, not just until the next call to {@link #next()}. Closing the cursor is idempotent;
 * closing its snapshot closes it too.
 *
 * <p><b>Threading.</b> A cursor belongs to one thread at a time.
 */
public interface Cursor extends AutoCloseable {

  /**
   * Moves to the next entry.
   *
   * @return false when the range is exhausted
   * @throws StoreClosedException if the cursor or its snapshot was closed
   */
  boolean next();

  /**
   * The current entry's key.
   *
   * @return a view valid until the snapshot closes
   * @throws IllegalStateException if {@link #next()} has not returned true
   */
  ByteView key();

  /**
   * The current entry's value.
   *
   * @return a view valid until the snapshot closes
   * @throws IllegalStateException if {@link #next()} has not returned true
   */
  ByteView value();

  /**
   * When the current entry expires, if it was written with a ttl.
   *
   * @return the instant, or null if it does not expire (or, in a transaction's cursor, if it is one
   *     of the transaction's own writes, whose expiry is fixed at commit)
   * @throws IllegalStateException if {@link #next()} has not returned true
   */
  java.time.Instant expiresAt();

  @Override
  void close();
}
