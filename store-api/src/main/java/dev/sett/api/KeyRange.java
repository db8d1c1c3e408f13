package dev.sett.api;

import java.util.Arrays;

/**
 * A range of keys in unsigned lexicographic order, with a direction: all keys, the keys with a
 * prefix, or the keys from an inclusive lower bound to an exclusive upper bound (either may be
 * open).
 *
 * <p>Immutable and thread-safe; the bounds are copied on construction.
 */
public final class KeyRange {
  private static final KeyRange ALL = new KeyRange(null, null, false);

  private final byte[] from;
  private final byte[] to;
  private final boolean reverse;

  private KeyRange(byte[] from, byte[] to, boolean reverse) {
    this.from = from;
    this.to = to;
    this.reverse = reverse;
  }

  /** {@return every key, in ascending order} */
  public static KeyRange all() {
    return ALL;
  }

  /**
   * Keys {@code k} with {@code from <= k < to}; a null bound is open.
   *
   * @param from inclusive lower bound, or null
   * @param to exclusive upper bound, or null
   * @return the range, ascending
   * @throws InvalidInputException if both bounds are given and {@code from > to}
   */
  public static KeyRange between(byte[] from, byte[] to) {
    if (from != null && to != null && Arrays.compareUnsigned(from, to) > 0) {
      throw new InvalidInputException("KeyRange lower bound is greater than its upper bound;"
          + " swap them, or use reverse() to iterate downwards");
    }
    return new KeyRange(copy(from), copy(to), false);
  }

  /**
   * Keys {@code k >= from}.
   *
   * @param from inclusive lower bound, or null for every key
   * @return the range, ascending
   */
  public static KeyRange from(byte[] from) {
    return between(from, null);
  }

  /**
   * Keys {@code k < to}.
   *
   * @param to exclusive upper bound, or null for every key
   * @return the range, ascending
   */
  public static KeyRange to(byte[] to) {
    return between(null, to);
  }

  /**
   * Keys that start with {@code prefix}.
   *
   * @param prefix the bytes every key of the range starts with (empty: every key)
   * @return the range, ascending
   * @throws InvalidInputException if the prefix is null
   */
  public static KeyRange prefix(byte[] prefix) {
    if (prefix == null) {
      throw new InvalidInputException("KeyRange prefix must not be null; use KeyRange.all()");
    }
    return new KeyRange(prefix.clone(), prefixEnd(prefix), false);
  }

  /** {@return the same keys, iterated in descending order} Ascending again if already reversed. */
  public KeyRange reverse() {
    return new KeyRange(from, to, !reverse);
  }

  /** {@return a copy of the inclusive lower bound, or null if open} */
  public byte[] lowerBound() {
    return copy(from);
  }

  /** {@return a copy of the exclusive upper bound, or null if open} */
  public byte[] upperBound() {
    return copy(to);
  }

  /** {@return whether iteration runs from the largest key down} */
  public boolean isReverse() {
    return reverse;
  }

  /**
   * Whether {@code key} lies inside the bounds (direction does not matter).
   *
   * @param key the key to test
   * @return true if it is in the range
   */
  public boolean contains(byte[] key) {
    return (from == null || Arrays.compareUnsigned(key, from) >= 0)
        && (to == null || Arrays.compareUnsigned(key, to) < 0);
  }

  /** The smallest key greater than every key starting with {@code prefix}, or null if none is. */
  private static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }

  private static byte[] copy(byte[] b) {
    return b == null ? null : b.clone();
  }

  @Override
  public String toString() {
    return "KeyRange[" + (from == null ? "-inf" : hex(from)) + ", " + (to == null ? "+inf" : hex(to))
        + (reverse ? ", reverse]" : "]");
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return sb.toString();
  }
}
