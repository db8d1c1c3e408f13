package dev.sett.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A group of puts and deletes that {@link Store#write(WriteBatch)} applies all-or-nothing: after a
 * crash either every operation of the batch is present or none is, and no reader ever sees part of
 * it. Later operations on the same key win.
 *
 * <p>Keys and values are copied when added, so the caller may reuse its arrays
 * ({@link #putWithoutCopy} is the exception, for arrays the caller hands over). A batch may be
 * written more than once, and {@link #clear()}ed and refilled.
 *
 * <p><b>Threading.</b> Not thread-safe: fill it on one thread, then hand it to the store.
 */
public final class WriteBatch {

  /** One operation of a batch. {@code value} is null for a delete. */
  public static final class Op {
    private final byte[] key;
    private final byte[] value;
    private final java.time.Duration ttl;

    Op(byte[] key, byte[] value, java.time.Duration ttl) {
      this.key = key;
      this.value = value;
      this.ttl = ttl;
    }

    /**
     * {@return how long after the batch is written the put expires, or null for the store's default
     * ({@link StoreOptions#defaultTtl()}); null for a delete}
     */
    public java.time.Duration ttl() {
      return ttl;
    }

    /** {@return the key} It is the batch's own copy: do not modify it. */
    public byte[] key() {
      return key;
    }

    /** {@return the value, or null for a delete} It is the batch's own copy: do not modify it. */
    public byte[] value() {
      return value;
    }

    /** {@return whether this operation deletes its key} */
    public boolean isDelete() {
      return value == null;
    }
  }

  private final List<Op> ops = new ArrayList<>();
  private long payloadBytes;

  /** An empty batch. (Written out only to carry this comment: it is the default constructor.) */
  public WriteBatch() {
  }

  /**
   * Adds a put.
   *
   * @param key the key, 1 byte or more (copied)
   * @param value the value, possibly empty (copied)
   * @return this batch
   * @throws InvalidInputException if the key is null or empty, or the value is null
   */
  public WriteBatch put(byte[] key, byte[] value) {
    requireKey(key);
    requireValue(value);
    ops.add(new Op(key.clone(), value.clone(), null));
    payloadBytes += key.length + (long) value.length;
    return this;
  }

  /**
   * Adds a put without copying {@code key} and {@code value}: the batch keeps the arrays
   * themselves. For a caller that hands over arrays it has no further use for (records restored
   * from a log, a buffer of pending writes), this saves an allocation and a copy of each; in a
   * large batch of small records that is a good part of what the write costs.
   *
   * <p>The caller must not change either array until the batch has been written for the last
   * time, or cleared: a change meanwhile changes what is written. After a write the store keeps
   * nothing of the arrays (it copies what it keeps), so changing them afterwards changes nothing
   * stored.
   *
   * @param key the key, 1 byte or more (not copied)
   * @param value the value, possibly empty (not copied)
   * @return this batch
   * @throws InvalidInputException if the key is null or empty, or the value is null
   */
  public WriteBatch putWithoutCopy(byte[] key, byte[] value) {
    requireKey(key);
    requireValue(value);
    ops.add(new Op(key, value, null));
    payloadBytes += key.length + (long) value.length;
    return this;
  }

  /**
   * Adds a put that expires {@code ttl} after the batch is written (see
   * {@link Store#put(byte[], byte[], java.time.Duration)}).
   *
   * @param key the key, 1 byte or more (copied)
   * @param value the value, possibly empty (copied)
   * @param ttl how long the value lives; positive
   * @return this batch
   * @throws InvalidInputException if the key is null or empty, the value is null, or the ttl is
   *     null, zero or negative
   */
  public WriteBatch put(byte[] key, byte[] value, java.time.Duration ttl) {
    requireKey(key);
    requireValue(value);
    StoreOptions.requireTtl(ttl);
    ops.add(new Op(key.clone(), value.clone(), ttl));
    payloadBytes += key.length + (long) value.length;
    return this;
  }

  /**
   * Adds a delete.
   *
   * @param key the key, 1 byte or more (copied)
   * @return this batch
   * @throws InvalidInputException if the key is null or empty
   */
  public WriteBatch delete(byte[] key) {
    requireKey(key);
    ops.add(new Op(key.clone(), null, null));
    payloadBytes += key.length;
    return this;
  }

  /** {@return the number of operations} */
  public int size() {
    return ops.size();
  }

  /** {@return whether the batch holds no operation} */
  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** {@return the sum of key and value lengths} A lower bound for the bytes the batch takes on disk. */
  public long payloadBytes() {
    return payloadBytes;
  }

  /**
   * Removes every operation.
   *
   * @return this batch, empty
   */
  public WriteBatch clear() {
    ops.clear();
    payloadBytes = 0;
    return this;
  }

  /** {@return the operations in the order they were added, as an unmodifiable view} */
  public List<Op> operations() {
    return Collections.unmodifiableList(ops);
  }

  private static void requireValue(byte[] value) {
    if (value == null) {
      throw new InvalidInputException("value must not be null; use delete(key) to remove a key");
    }
  }

  private static void requireKey(byte[] key) {
    if (key == null) {
      throw new InvalidInputException("key must not be null");
    }
    if (key.length == 0) {
      throw new InvalidInputException("key must not be empty");
    }
  }
}
