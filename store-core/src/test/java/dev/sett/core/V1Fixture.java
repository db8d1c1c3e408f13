package dev.sett.core;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The version-1 store kept in {@code src/test/resources/fixtures/v1-store}: written by Sett at
 * commit 5d39452 (format version 1, before expiry was added) by {@link #main}, and checked by
 * {@code FormatUpgradeTest} against {@link #expected()}. Running {@link #main} today would write
 * the current format, so the fixture is never regenerated: it is the old format's witness.
 *
 * <p>Its history: 600 puts over 64 KiB segments (several sealed segments with hints), overwrites
 * of every third key, deletes of every seventh, and a batch; closed cleanly, so the last segment
 * has a hint too.
 */
final class V1Fixture {
  static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  private V1Fixture() {
  }

  static byte[] key(int i) {
    return String.format("key-%04d", i).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] value(int i, int version) {
    byte[] v = new byte[40 + (i * 37) % 300];
    Arrays.fill(v, (byte) ('a' + (i + version) % 26));
    byte[] tag = ("v" + version + ":" + i + ":").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(tag, 0, v, 0, tag.length);
    return v;
  }

  /** What the fixture holds. */
  static NavigableMap<byte[], byte[]> expected() {
    NavigableMap<byte[], byte[]> m = new TreeMap<>(Arrays::compareUnsigned);
    apply(null, m);
    return m;
  }

  /** Writes the history into {@code store} (if not null) and into {@code model}. */
  private static void apply(Store store, NavigableMap<byte[], byte[]> model) {
    for (int i = 0; i < 600; i++) {
      put(store, model, key(i), value(i, 1));
    }
    for (int i = 0; i < 600; i += 3) {
      put(store, model, key(i), value(i, 2));
    }
    for (int i = 0; i < 600; i += 7) {
      if (store != null) {
        store.delete(key(i));
      }
      model.remove(key(i));
    }
    WriteBatch batch = new WriteBatch();
    for (int i = 600; i < 620; i++) {
      batch.put(key(i), value(i, 3));
      model.put(key(i), value(i, 3));
    }
    batch.delete(key(1));
    model.remove(key(1));
    if (store != null) {
      store.write(batch);
    }
  }

  private static void put(Store store, NavigableMap<byte[], byte[]> model, byte[] k, byte[] v) {
    if (store != null) {
      store.put(k, v);
    }
    model.put(k, v);
  }

  /** Writes the fixture into the empty directory {@code args[0]}. */
  public static void main(String[] args) {
    try (Store s = Sett.open(Path.of(args[0]), OPTIONS)) {
      apply(s, new TreeMap<>(Arrays::compareUnsigned));
    }
  }
}
