package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.SyncMode;
import dev.sett.core.Sett;
import java.nio.file.Files;
import java.nio.file.Path;

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
   * Opens the store in {@code dir} read-only: it must exist, nothing is written, and a running
   * writer (in any process) and other read-only handles may share it. Every record read is checked against its CRC, so a command never prints
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

  /** Who has the store in {@code dir} open; any failure has exit code 3. */
  static dev.sett.api.StoreActivity activity(Path dir) {
    try {
      return Sett.activity(dir);
    } catch (StoreException e) {
      throw Errors.openFailure(e);
    }
  }

  /**
   * Opens the store in {@code dir} for writing, with {@link #writableOptions} and {@code sync} as
   * the sync mode.
   *
   * @param create whether a missing or empty directory becomes a new store; if false, a missing
   *     directory is refused. Even then only {@code dir} itself is created, inside a directory that
   *     exists: a mistyped path must not grow a tree of new directories.
   */
  static Store openWritable(Path dir, SyncMode sync, boolean create) {
    if (!create && !Files.exists(dir)) {
      throw new CliException(SettCli.EXIT_STORE, dir + " does not exist, so there is no store to"
          + " change; check the path");
    }
    Path parent = dir.toAbsolutePath().normalize().getParent();
    if (!Files.exists(dir) && parent != null && !Files.isDirectory(parent)) {
      throw new CliException(SettCli.EXIT_STORE, parent + " does not exist; sett creates a new store only"
          + " as a new directory inside an existing one, so check the path (or create " + parent + " first)");
    }
    return open(dir, writableOptions(sync));
  }

  /**
   * The options of {@link #openWritable}: the defaults, with {@code sync}, and keys up to the
   * format's limit, so that the tool can write (and load) every key a store can hold, whatever
   * limit the application that owns the store set for itself.
   */
  static StoreOptions writableOptions(SyncMode sync) {
    return StoreOptions.builder().syncMode(sync).maxKeySize(StoreOptions.MAX_KEY_SIZE_LIMIT).build();
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
