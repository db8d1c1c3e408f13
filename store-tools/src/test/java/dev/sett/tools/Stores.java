package dev.sett.tools;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Stores made for tests through the public API, and their full contents for comparisons. */
final class Stores {
  /** Small segments, so that test stores are small on disk. */
  static final StoreOptions SMALL = StoreOptions.builder().segmentSize(64 << 10).build();

  private Stores() {
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  /** Creates a store in {@code dir} holding {@code keysAndValues} (key, value, key, value...). */
  static void create(Path dir, byte[]... keysAndValues) {
    try (Store store = Sett.open(dir, SMALL)) {
      for (int i = 0; i < keysAndValues.length; i += 2) {
        store.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
  }

  /** Creates a store in {@code dir} holding text keys and values (key, value, key, value...). */
  static void createText(Path dir, String... keysAndValues) {
    byte[][] b = new byte[keysAndValues.length][];
    for (int i = 0; i < b.length; i++) {
      b[i] = utf8(keysAndValues[i]);
    }
    create(dir, b);
  }

  /** Every entry of the store in {@code dir}, in key order, as "keyhex=valuehex" (read-only open). */
  static List<String> contents(Path dir) {
    List<String> entries = new ArrayList<>();
    try (Store store = Sett.open(dir, StoreOptions.builder().readOnly(true).build());
        Snapshot snapshot = store.snapshot();
        Cursor cursor = snapshot.scan(KeyRange.all())) {
      while (cursor.next()) {
        entries.add(Encoding.hex(cursor.key().toByteArray(), Integer.MAX_VALUE) + "="
            + Encoding.hex(cursor.value().toByteArray(), Integer.MAX_VALUE));
      }
    }
    return entries;
  }

  /** Number of segment files in a store directory. */
  static long segmentCount(java.nio.file.Path dir) {
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg")).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
