package dev.sett.core;

import dev.sett.api.NotAStoreException;
import dev.sett.api.StoreLockedException;
import dev.sett.api.UnsupportedFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The store directory: its identity file, its lock, and the rule for which files belong to it.
 *
 * <p>{@value #MARKER} is a small text file ({@code format-version=2}; 1 for a store written before
 * expiry was added, rewritten to 2 by its first writable open) written when a store is created; a non-empty directory without it is refused as "not a Sett store" so that Sett never
 * writes into someone else's files. {@value #LOCK} holds an OS file lock: exclusive for a writer,
 * shared for read-only handles; it also records the holder's process id for operators. The lock
 * and its rules are {@link DirectoryLock}'s; a handle holds it from {@link #open} to {@link #close}
 * (idempotent).
 */
final class StoreDirectory implements AutoCloseable {
  static final String MARKER = "sett.store";
  static final String LOCK = "LOCK";
  static final int FORMAT_VERSION = 2;
  /** Stores written before expiry was added: opened, and upgraded by a writable open. */
  static final int FORMAT_VERSION_1 = 1;

  private final Path dir;
  private final DirectoryLock lock;

  private StoreDirectory(Path dir, DirectoryLock lock) {
    this.dir = dir;
    this.lock = lock;
  }

  Path path() {
    return dir;
  }

  /**
   * Validates (and for a writer, initialises) {@code dir} and takes its lock.
   *
   * @throws NotAStoreException if the directory holds files but no marker
   * @throws UnsupportedFormatException if the marker names a newer format
   * @throws StoreLockedException if another handle holds a conflicting lock
   */
  static StoreDirectory open(Storage storage, Path dir, boolean readOnly) throws IOException {
    return open(storage, dir, readOnly, true);
  }

  /**
   * Validates {@code dir} as a store to read without taking its lock: a read-only handle beside a
   * live writer, which announces itself through {@link ReaderRegistry} instead.
   */
  static StoreDirectory openUnlocked(Storage storage, Path dir) throws IOException {
    return open(storage, dir, true, false);
  }

  private static StoreDirectory open(Storage storage, Path dir, boolean readOnly, boolean lock) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new NotAStoreException(dir, dir + " is a file, not a directory; give Sett a directory");
    }
    if (!Files.exists(dir)) {
      if (readOnly) {
        throw new NotAStoreException(dir, dir + " does not exist, so there is no store to open read-only");
      }
      storage.createDirectories(dir);
    }
    Path marker = dir.resolve(MARKER);
    boolean hasMarker = storage.exists(marker);
    if (!hasMarker) {
      List<String> names = storage.list(dir);
      names.remove(LOCK);
      names.remove(ReaderRegistry.DIR);
      if (!names.isEmpty()) {
        throw new NotAStoreException(dir, dir + " is not a Sett store: it holds " + names.size()
            + " file(s) (for example '" + names.get(0) + "') but no " + MARKER
            + " file. Point Sett at an empty or new directory");
      }
      if (readOnly) {
        throw new NotAStoreException(dir, dir + " is empty, so there is no store to open read-only");
      }
    }
    int version = hasMarker ? checkMarker(storage, marker) : FORMAT_VERSION;
    StoreDirectory opened = new StoreDirectory(dir, lock ? DirectoryLock.acquire(dir, readOnly) : null);
    try {
      // A version-1 store opened for writing may get version-2 segments from now on, so its marker
      // says version 2 before any is written: an older Sett then refuses the store with a clear
      // message instead of meeting a segment it cannot read.
      if (!hasMarker || (!readOnly && version < FORMAT_VERSION)) {
        storage.writeAtomically(marker, ("# Sett store. Do not edit or delete.\nformat-version="
            + FORMAT_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /** The marker's format version, checked to be one this code reads. */
  private static int checkMarker(Storage storage, Path marker) throws IOException {
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(new String(storage.readAll(marker), StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      throw new NotAStoreException(marker.getParent(), marker + " is not a Sett marker file");
    }
    String v = p.getProperty("format-version");
    int version;
    try {
      version = Integer.parseInt(v == null ? "" : v.trim());
    } catch (NumberFormatException e) {
      throw new NotAStoreException(marker.getParent(), marker + " has no valid format-version line;"
          + " it was not written by Sett");
    }
    if (version != FORMAT_VERSION && version != FORMAT_VERSION_1) {
      throw new UnsupportedFormatException(marker, version, FORMAT_VERSION);
    }
    return version;
  }

  /**
   * The pid of the process whose writer has the store open now, 0 if a writer does but its pid is
   * unknown, or -1 if none does. Never takes the lock (see {@link DirectoryLock#writerHolds}).
   */
  static long writerPid(Path dir) {
    Path lock = dir.resolve(LOCK);
    if (!DirectoryLock.writerHolds(lock)) {
      return -1;
    }
    String holder = holder(lock);
    try {
      return holder.startsWith("pid ") ? Long.parseLong(holder.substring(4).trim()) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static boolean writerRunning(Path dir) {
    return writerPid(dir) >= 0;
  }

  /** Who holds the lock, as recorded in the lock file ("pid 1234"), or "" if unknown. */
  static String holder(Path lockFile) {
    return DirectoryLock.holder(lockFile);
  }

  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
