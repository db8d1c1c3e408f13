package dev.sett.core;

import dev.sett.api.InvalidInputException;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.time.Duration;

/**
 * The checks of a caller's arguments that come before anything is read or written, so that bad
 * input is refused with a message that says what is wrong and never reaches the files.
 *
 * <p>Immutable and thread-safe; one per open store (the limits are its options').
 */
final class InputChecks {
  private final StoreOptions options;

  InputChecks(StoreOptions options) {
    this.options = options;
  }

  /**
   * A key to look up or delete. Only the format's limit applies: a store reopened with a smaller
   * {@code maxKeySize} than it was written with must still read (and delete) the longer keys it
   * holds; the option restricts what new writes may add.
   */
  void key(byte[] key) {
    if (key == null) {
      throw new InvalidInputException("key must not be null");
    }
    if (key.length == 0) {
      throw new InvalidInputException("key must not be empty");
    }
    if (key.length > StoreOptions.MAX_KEY_SIZE_LIMIT) {
      throw new InvalidInputException("key of " + key.length + " bytes is over the format's limit of "
          + StoreOptions.MAX_KEY_SIZE_LIMIT + " bytes, so no store can hold it");
    }
  }

  /** A key a put writes: also within {@code maxKeySize}. */
  void newKey(byte[] key) {
    key(key);
    if (key.length > options.maxKeySize()) {
      throw new InvalidInputException("key of " + key.length + " bytes is over the limit of "
          + options.maxKeySize() + " bytes (StoreOptions.maxKeySize)");
    }
  }

  void value(byte[] value) {
    if (value == null) {
      throw new InvalidInputException("value must not be null; use delete(key) to remove a key");
    }
    if (value.length > options.maxValueSize()) {
      throw new InvalidInputException("value of " + value.length + " bytes is over the limit of "
          + options.maxValueSize() + " bytes (StoreOptions.maxValueSize)");
    }
  }

  /** Every operation of a batch, before any is written. */
  void batch(WriteBatch batch) {
    if (batch == null) {
      throw new InvalidInputException("batch must not be null");
    }
    for (WriteBatch.Op op : batch.operations()) {
      if (op.isDelete()) {
        key(op.key());
      } else {
        newKey(op.key());
        value(op.value());
      }
    }
  }

  /** The value a conditional write compares with. */
  static void expected(byte[] expected) {
    if (expected == null) {
      throw new InvalidInputException("the expected value must not be null; use putIfAbsent to write only"
          + " where a key has no value");
    }
  }

  static void ttl(Duration ttl) {
    if (ttl == null || ttl.isZero() || ttl.isNegative()) {
      throw new InvalidInputException("ttl " + ttl + " is invalid: it must be positive (use put(key, value) for a"
          + " value that follows StoreOptions.defaultTtl)");
    }
  }
}
