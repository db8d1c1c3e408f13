package dev.sett.bench;

import dev.sett.api.ByteView;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What the benchmark classes share: the key format, value contents, the way every store's read
 * consumes a value, and opening and deleting stores. Keeping these in one place is what makes the
 * figures of different classes (and of different stores) comparable.
 */
final class BenchData {
  private BenchData() {
  }

  /** Bytes of a key: {@code "user"} and 12 decimal digits, as in shared/notes/peers.md. */
  static final int KEY_SIZE = 16;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The big-endian long at {@code offset} of {@code b}. */
  static long longBE(byte[] b, int offset) {
    return (long) LONG_BE.get(b, offset);
  }

  /** Writes {@code v} big-endian at {@code offset} of {@code b}. */
  static void putLongBE(byte[] b, int offset, long v) {
    LONG_BE.set(b, offset, v);
  }

  /** {@code "user"} + {@code i} in 12 zero-padded digits, ASCII; sorts like {@code i}. */
  static byte[] key(long i) {
    byte[] k = new byte[KEY_SIZE];
    writeKey(i, k);
    return k;
  }

  /** Writes {@link #key(long)} into {@code k} (16 bytes), for loops that reuse one array. */
  static void writeKey(long i, byte[] k) {
    if (i < 0 || i > 999_999_999_999L) {
      throw new IllegalArgumentException("key index out of range: " + i);
    }
    k[0] = 'u';
    k[1] = 's';
    k[2] = 'e';
    k[3] = 'r';
    for (int p = KEY_SIZE - 1; p >= 4; p--) {
      k[p] = (byte) ('0' + i % 10);
      i /= 10;
    }
  }

  /** {@code n} keys {@code key(0) ... key(n - 1)}, in key order. */
  static byte[][] keys(int n) {
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = key(i);
    }
    return keys;
  }

  /** Fills {@code value} with random longs (its length must be a multiple of 8). */
  static void fill(SplittableRandom random, byte[] value) {
    for (int i = 0; i + Long.BYTES <= value.length; i += Long.BYTES) {
      LONG_BE.set(value, i, random.nextLong());
    }
    for (int i = value.length & ~7; i < value.length; i++) {
      value[i] = (byte) random.nextInt();
    }
  }

  /** The value stored under key number {@code i} in the peer data set: a function of {@code i} alone. */
  static byte[] peerValue(int i, int size) {
    byte[] v = new byte[size];
    fill(new SplittableRandom(0x5E77L * 1_000_003L + i), v);
    return v;
  }

  /** Shuffles {@code a} in place (Fisher-Yates). */
  static void shuffle(Object[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Object t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  // ---- consuming a value: the same work for every store ---------------------------------------------

  /*
   * How a point read of the peer benchmarks consumes its value, identically for every store: the
   * first four big-endian longs plus the last byte. It touches the first and last cache line of a
   * 100-byte value, so a view that is never read cannot look cheaper than it is.
   */

  static long consume(byte[] v) {
    return (long) LONG_BE.get(v, 0) + (long) LONG_BE.get(v, 8) + (long) LONG_BE.get(v, 16)
        + (long) LONG_BE.get(v, 24) + v[v.length - 1];
  }

  static long consume(ByteView v) {
    return v.getLong(0) + v.getLong(8) + v.getLong(16) + v.getLong(24) + v.getByte(v.size() - 1);
  }

  /** For a big-endian buffer holding a value of {@code length} bytes from index 0. */
  static long consume(ByteBuffer v, int length) {
    return v.getLong(0) + v.getLong(8) + v.getLong(16) + v.getLong(24) + v.get(length - 1);
  }

  /** For Agrona's {@code DirectBuffer} (lmdbjava), read big-endian like the others. */
  static long consume(org.agrona.DirectBuffer v) {
    return v.getLong(0, ByteOrder.BIG_ENDIAN) + v.getLong(8, ByteOrder.BIG_ENDIAN)
        + v.getLong(16, ByteOrder.BIG_ENDIAN) + v.getLong(24, ByteOrder.BIG_ENDIAN)
        + v.getByte(v.capacity() - 1);
  }

  // ---- Sett ---------------------------------------------------------------------------------------

  /**
   * Opens a Sett store in a new temporary directory, after checking that {@link BenchJvm} gave the
   * fork every flag Sett needs on this JDK (Sett.open would fail anyway; this says where to fix it).
   */
  static Store openSett(StoreOptions options) throws IOException {
    String missing = missingFlags(Sett.requiredJvmFlags());
    if (!missing.isEmpty()) {
      throw new IllegalStateException("BenchJvm lacks JVM flags Sett needs on this JDK: " + missing);
    }
    return Sett.open(Files.createTempDirectory("sett-bench-"), options);
  }

  /** Closes a store opened by {@link #openSett} and deletes its directory. */
  static void closeAndDelete(Store store) throws IOException {
    if (store == null) {
      return;
    }
    Path dir = store.directory();
    try {
      store.close();
    } finally {
      deleteRecursively(dir);
    }
  }

  /** The flags of {@code required} (as Sett lists them) that no constant of {@link BenchJvm} carries. */
  static String missingFlags(String required) {
    String have = String.join(" ", BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO,
        BenchJvm.ADD_EXPORTS_REF, BenchJvm.NATIVE_ACCESS, BenchJvm.UNSAFE_MEMORY_ACCESS);
    // Sett writes "--add-opens x=y"; BenchJvm writes "--add-opens=x=y".
    String[] words = required.trim().split("\\s+");
    StringBuilder missing = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      String flag = words[i];
      if ((flag.equals("--add-opens") || flag.equals("--add-exports")) && i + 1 < words.length) {
        flag = flag + "=" + words[++i];
      }
      if (!flag.isEmpty() && !(" " + have + " ").contains(" " + flag + " ")) {
        missing.append(' ').append(flag);
      }
    }
    return missing.toString().trim();
  }

  static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
