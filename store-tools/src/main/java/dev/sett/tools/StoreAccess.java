package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreFacts;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.SyncMode;
import dev.sett.core.Sett;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How commands open a store. Any failure to open it becomes a {@link CliException} with exit code
 * {@value SettCli#EXIT_STORE}, so that an exception reaching {@link Errors} unwrapped was raised
 * later, while the store was in use.
 */
final class StoreAccess {
  private StoreAccess() {
  }

  /** Fails with the exit code for an unopenable store unless {@code dir} is a directory. */
  static void requireDirectory(Path dir, String verb) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new CliException(SettCli.EXIT_STORE, dir + " is not a directory, so there is no store to " + verb
          + "; check the path");
    }
  }

  /**
   * Opens the store in {@code dir} read-only: it must exist, nothing is written, and other read-only
   * handles may share it. Every record read is checked against its CRC, so a command never prints
   * or exports damaged bytes; any key the format can hold may be looked up (the key size limit is
   * the format's, not the default one).
   */
  static Store openReadOnly(Path dir) {
    return open(dir, StoreOptions.builder()
        .readOnly(true)
        .verifyChecksums(true)
        .maxKeySize(StoreOptions.MAX_KEY_SIZE_LIMIT)
        .build());
  }

  /** The figures of the store in {@code dir}, read through a read-only open that is closed again. */
  static StoreStats readStats(Path dir) {
    try (Store store = openReadOnly(dir)) {
      return store.stats();
    }
  }

  /**
   * Opens the existing store in {@code dir} for writing, with {@link #writableOptions}; a missing
   * directory is refused. (Commands that may create a store check {@link #requireCreatable} and
   * {@link #open} it with their options.)
   */
  static Store openWritable(Path dir, SyncMode sync) {
    if (!Files.exists(dir)) {
      throw new CliException(SettCli.EXIT_STORE, dir + " does not exist, so there is no store to"
          + " change; check the path");
    }
    return open(dir, writableOptions(dir, sync, 0));
  }

  /**
   * Refuses, with {@code exitCode}, a directory that does not exist and whose parent does not exist
   * either: a mistyped path must not become a new directory tree. A missing directory in an existing
   * one is created by the engine, as a new store.
   */
  static void requireCreatable(Path dir, String verb, int exitCode) {
    if (Files.exists(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new CliException(exitCode, dir + " does not exist, and " + (Files.exists(parent)
          ? "its parent " + parent + " is not a directory" : "neither does its parent directory " + parent)
          + ", so " + verb + " creates no store there; check the path, or create " + parent + " first");
    }
  }

  /**
   * The options to write the store in {@code dir} with: its own remembered segment size and limits
   * ({@code Sett.facts}), or the defaults for a new store (and one written before stores remembered
   * them); the key limit raised to {@code longestKey} if that is more, and the segment size raised
   * so that a key and a value of the largest sizes fit in one segment.
   */
  static StoreOptions writableOptions(Path dir, SyncMode sync, int longestKey) {
    Optional<StoreFacts> facts;
    try {
      facts = Sett.facts(dir);
    } catch (StoreException e) {
      facts = Optional.empty(); // opening the store reports what is wrong
    }
    int key = Math.max(facts.map(StoreFacts::maxKeySize).orElse(StoreOptions.DEFAULT_MAX_KEY_SIZE), longestKey);
    int value = facts.map(StoreFacts::maxValueSize).orElse(StoreOptions.DEFAULT_MAX_VALUE_SIZE);
    long segment = facts.map(StoreFacts::segmentSize).orElse(StoreOptions.DEFAULT_SEGMENT_SIZE);
    long needed = (long) key + value + StoreOptions.SEGMENT_OVERHEAD;
    if (needed > segment) {
      segment = Math.min(StoreOptions.MAX_SEGMENT_SIZE, (needed + 4095) & ~4095L);
      value = (int) Math.min(value, segment - StoreOptions.SEGMENT_OVERHEAD - key);
    }
    return StoreOptions.builder().syncMode(sync).segmentSize((int) segment).maxKeySize(key).maxValueSize(value)
        .build();
  }

  /** Opens the store in {@code dir} with {@code options}; any failure has exit code 3. */
  static Store open(Path dir, StoreOptions options) {
    try {
      return Sett.open(dir, options);
    } catch (StoreException e) {
      throw Errors.openFailure(e);
    }
  }
}
