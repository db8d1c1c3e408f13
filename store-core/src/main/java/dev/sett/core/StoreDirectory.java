package dev.sett.core;

import dev.sett.api.NotAStoreException;
import dev.sett.api.StorageException;
import dev.sett.api.StoreLockedException;
import dev.sett.api.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The store directory: its identity file, its lock, and the rule for which files belong to it.
 *
 * <p>{@value #MARKER} is a small text file ({@code format-version=1}) written when a store is
 * created; a non-empty directory without it is refused as "not a Sett store" so that Sett never
 * writes into someone else's files. {@value #LOCK} holds an OS file lock: exclusive for a writer,
 * shared for read-only handles; it also records the holder's process id for operators.
 */
final class StoreDirectory implements AutoCloseable {
  static final String MARKER = "sett.store";
  static final String LOCK = "LOCK";
  static final int FORMAT_VERSION = 1;

  private final Path dir;
  private final Path key;
  private boolean closed;

  private StoreDirectory(Path dir, Path key) {
    this.dir = dir;
    this.key = key;
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
    if (!storage.isRegularFile(marker)) {
      throw new NotAStoreException(marker.getParent(), marker + " is not a regular file, so it is not a Sett"
          + " marker (reading a FIFO would wait for ever); it was not written by Sett");
    }
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

  /** A lock held by this process, shared by its read-only handles on the same directory. */
  private static final class Held {
    final FileChannel channel;
    final FileLock lock;
    final boolean readOnly;
    int users = 1;

    Held(FileChannel channel, FileLock lock, boolean readOnly) {
      this.channel = channel;
      this.lock = lock;
      this.readOnly = readOnly;
    }
  }

  // The JVM refuses a second lock on the same file even when both are shared, so handles of this
  // process coordinate here and only the first one takes the OS lock.
  private static final Map<Path, Held> HELD = new HashMap<>();

  private static synchronized StoreDirectory lock(Path dir, boolean readOnly) throws IOException {
    Path key = dir.toRealPath();
    Held held = HELD.get(key);
    if (held != null) {
      if (readOnly && held.readOnly) {
        held.users++;
        return new StoreDirectory(dir, key);
      }
      throw locked(dir, readOnly, "this process");
    }
    Path lockFile = dir.resolve(LOCK);
    FileChannel ch = readOnly && Files.exists(lockFile) && !Files.isWritable(lockFile)
        ? FileChannel.open(lockFile, StandardOpenOption.READ)
        : FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock(0, Long.MAX_VALUE, readOnly);
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw locked(dir, readOnly, holder(lockFile));
    }
    if (!readOnly) {
      try {
        // Padded to a fixed width so that the file never needs truncating: a truncate costs a
        // journal transaction (milliseconds on ext4), on every open.
        byte[] pid = String.format("pid %-26d\n", ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
        ch.write(ByteBuffer.wrap(pid), 0);
        if (ch.size() > pid.length) {
          ch.truncate(pid.length);
        }
      } catch (IOException e) {
        lock.release();
        ch.close();
        throw e;
      }
    }
    HELD.put(key, new Held(ch, lock, readOnly));
    return new StoreDirectory(dir, key);
  }

  private static StoreLockedException locked(Path dir, boolean readOnly, String holder) {
    return new StoreLockedException(dir, dir + " is already open" + (holder.isEmpty() ? "" : " by " + holder)
        + (readOnly ? " for writing" : "") + "; close the other handle first"
        + (readOnly ? "" : ", or open this one with StoreOptions.builder().readOnly(true) if no writer is running"));
  }

  /** Who holds the lock, as recorded in the lock file ("pid 1234"), or "" if unknown. */
  static String holder(Path lockFile) {
    try {
      return new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    synchronized (StoreDirectory.class) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(key);
      if (held == null || --held.users > 0) {
        return;
      }
      HELD.remove(key);
      try {
        if (held.lock.isValid()) {
          held.lock.release();
        }
        held.channel.close();
      } catch (IOException e) {
        throw new StorageException("could not release the lock of " + dir, e, false);
      }
    }
  }
}
