package dev.sett.core;

import dev.sett.api.NotAStoreException;
import dev.sett.api.StorageException;
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
 * <p>{@value #MARKER} is a small text file ({@code format-version=1}) written when a store is
 * created; a non-empty directory without it is refused as "not a Sett store" so that Sett never
 * writes into someone else's files. {@value #LOCK} holds an OS file lock: exclusive for a writer,
 * shared for read-only handles ({@link DirectoryLock}); it also records the holder's process id for
 * operators.
 */
final class StoreDirectory implements AutoCloseable {
  static final String MARKER = "sett.store";
  static final String LOCK = "LOCK";
  static final int FORMAT_VERSION = 1;

  private final Path dir;
  private final DirectoryLock lock;
  private boolean closed;

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
      if (!names.isEmpty()) {
        throw new NotAStoreException(dir, dir + " is not a Sett store: it holds " + names.size()
            + " file(s) (for example '" + names.get(0) + "') but no " + MARKER
            + " file. Point Sett at an empty or new directory");
      }
      if (readOnly) {
        throw new NotAStoreException(dir, dir + " is empty, so there is no store to open read-only");
      }
    } else {
      checkMarker(storage, marker);
    }
    StoreDirectory opened = lock(dir, readOnly);
    try {
      if (!hasMarker) {
        storage.writeAtomically(marker, ("# Sett store. Do not edit or delete.\nformat-version="
            + FORMAT_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  private static void checkMarker(Storage storage, Path marker) throws IOException {
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
    if (version != FORMAT_VERSION) {
      throw new UnsupportedFormatException(marker, version, FORMAT_VERSION);
    }
  }

  private static StoreDirectory lock(Path dir, boolean readOnly) throws IOException {
    Path lockFile = dir.resolve(LOCK);
    DirectoryLock lock = DirectoryLock.tryAcquire(lockFile, readOnly);
    if (lock == null) {
      throw locked(dir, readOnly, holder(lockFile, readOnly));
    }
    if (!readOnly) {
      try {
        lock.recordHolder();
      } catch (IOException e) {
        lock.close();
        throw e;
      }
    }
    return new StoreDirectory(dir, lock);
  }

  /**
   * Who holds the lock, for the refusal's message: a writer (its pid, as it recorded it; "this
   * process" when that is us) or, when a writer was refused and a shared lock can still be had, only
   * read-only handles (then the pid in the file is a past writer's and is not named).
   */
  private static String holder(Path lockFile, boolean readOnly) throws IOException {
    if (!readOnly) {
      DirectoryLock probe = DirectoryLock.tryAcquire(lockFile, true);
      if (probe != null) {
        probe.close();
        return "read-only handles (in this or other processes)";
      }
    }
    String recorded = DirectoryLock.holder(lockFile);
    String me = "pid " + ProcessHandle.current().pid();
    return recorded.equals(me) ? "this process (" + me + ")" : recorded;
  }

  private static StoreLockedException locked(Path dir, boolean readOnly, String holder) {
    return new StoreLockedException(dir, dir + " is already open" + (holder.isEmpty() ? "" : " by " + holder)
        + (readOnly ? " for writing" : "") + "; close the other handle first"
        + (readOnly ? "" : ", or open this one with StoreOptions.builder().readOnly(true) if no writer is running"));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lock.close();
    } catch (IOException e) {
      throw new StorageException("could not release the lock of " + dir, e, false);
    }
  }
}
