package dev.sett.core;

import dev.sett.api.StoreFacts;
import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The {@link StoreFacts} of a store, kept as extra lines of its marker file {@value StoreDirectory#MARKER}:
 *
 * <pre>
 * # Sett store. Do not edit or delete.
 * format-version=1
 * # How the data was written (kept by Sett; a later open with other options relies on them):
 * segment-size=67108864
 * max-key-size=4096
 * max-value-size=16777216
 * </pre>
 *
 * <p>The marker stays format version 1: it is a {@link Properties} file and a Sett that does not know
 * these keys reads {@code format-version} only. A fact that is missing or not a valid number is
 * unknown; a store written before facts were recorded gets them, derived from what its data holds,
 * at its next writable open. Lines this Sett does not know are kept when the marker is rewritten.
 *
 * <p>Stateless.
 */
final class MarkerFacts {
  static final String SEGMENT_SIZE = "segment-size";
  static final String MAX_KEY_SIZE = "max-key-size";
  static final String MAX_VALUE_SIZE = "max-value-size";
  private static final List<String> OWN = List.of("format-version", SEGMENT_SIZE, MAX_KEY_SIZE, MAX_VALUE_SIZE);

  private MarkerFacts() {
  }

  /** The facts the marker of {@code dir} records, or null if it records none that are complete and sound. */
  static StoreFacts read(Storage storage, Path dir) throws IOException {
    Properties p = load(storage, dir);
    if (p == null) {
      return null;
    }
    int segmentSize = number(p, SEGMENT_SIZE, StoreOptions.MIN_SEGMENT_SIZE, StoreOptions.MAX_SEGMENT_SIZE);
    int maxKeySize = number(p, MAX_KEY_SIZE, 1, StoreOptions.MAX_KEY_SIZE_LIMIT);
    int maxValueSize = number(p, MAX_VALUE_SIZE, 0, StoreOptions.MAX_SEGMENT_SIZE);
    if (segmentSize < 0 || maxKeySize < 0 || maxValueSize < 0) {
      return null;
    }
    return new StoreFacts(segmentSize, maxKeySize, maxValueSize);
  }

  /**
   * The facts after a writable open with {@code options}: its segment size, and the largest limits
   * of the recorded ones, the options' and what recovery found on disk (the longest key and value).
   */
  static StoreFacts merge(StoreFacts recorded, StoreOptions options, int longestKey, int longestValue) {
    int key = Math.max(options.maxKeySize(), longestKey);
    int value = Math.max(options.maxValueSize(), longestValue);
    if (recorded != null) {
      key = Math.max(key, recorded.maxKeySize());
      value = Math.max(value, recorded.maxValueSize());
    }
    return new StoreFacts(options.segmentSize(), key, value);
  }

  /** Rewrites the marker of {@code dir} atomically with {@code facts}, keeping its other lines. */
  static void record(Storage storage, Path dir, StoreFacts facts) throws IOException {
    Properties p = load(storage, dir);
    StringBuilder text = new StringBuilder("# Sett store. Do not edit or delete.\nformat-version=")
        .append(StoreDirectory.FORMAT_VERSION).append('\n')
        .append("# How the data was written (kept by Sett; a later open with other options relies on them):\n")
        .append(SEGMENT_SIZE).append('=').append(facts.segmentSize()).append('\n')
        .append(MAX_KEY_SIZE).append('=').append(facts.maxKeySize()).append('\n')
        .append(MAX_VALUE_SIZE).append('=').append(facts.maxValueSize()).append('\n');
    if (p != null) {
      List<String> others = new ArrayList<>(p.stringPropertyNames());
      others.removeAll(OWN);
      others.sort(null);
      for (String name : others) {
        // Written back as Properties would escape them, so that they read back the same.
        Properties one = new Properties();
        one.setProperty(name, p.getProperty(name));
        java.io.StringWriter w = new java.io.StringWriter();
        one.store(w, null);
        w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.append(l).append('\n'));
      }
    }
    storage.writeAtomically(dir.resolve(StoreDirectory.MARKER), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Properties load(Storage storage, Path dir) throws IOException {
    Path marker = dir.resolve(StoreDirectory.MARKER);
    if (!storage.isRegularFile(marker)) {
      return null;
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(storage.readAll(marker), StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return p;
  }

  /** The fact {@code name} if it is a number in [min, max], else -1. */
  private static int number(Properties p, String name, int min, int max) {
    String v = p.getProperty(name);
    try {
      long n = v == null ? -1 : Long.parseLong(v.trim());
      return n >= min && n <= max ? (int) n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
