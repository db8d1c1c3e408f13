package dev.sett.core;

import dev.sett.core.DirectoryLock.Held;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link DirectoryLock}'s fallback: the JDK's {@code FileChannel} lock, one channel per directory
 * (keyed by its real path) and class loader, shared by the read-only handles of the class loader
 * (the JVM refuses a second lock on a file even when both are shared), and closed only when no lock
 * of this JVM can be on the file (see {@code closeIfSafe}). All state is guarded by the class's
 * monitor.
 */
final class JdkLocks {
  /** This class loader's channel of a lock file, and the lock it holds through it, if any. */
  private static final class Entry {
    final FileChannel channel;
    final Object fileKey;
    final boolean writable;
    FileLock lock;
    boolean shared;
    int users;

    Entry(FileChannel channel, Object fileKey, boolean writable) {
      this.channel = channel;
      this.fileKey = fileKey;
      this.writable = writable;
    }
  }

  private static final Map<Path, Entry> CHANNELS = new HashMap<>();

  static Held lock(Path dir, Path lockFile, boolean shared) throws IOException {
    synchronized (JdkLocks.class) {
      Path key = dir.toRealPath();
      Entry e = entry(key, lockFile, shared);
      if (e.lock != null) {
        if (shared && e.shared) {
          e.users++;
          return () -> release(key, e);
        }
        throw DirectoryLock.locked(dir, shared, "this process");
      }
      if (!shared && !e.writable) {
        // Opened read-only (the file was not writable); a writer needs a writable channel.
        closeIfSafe(key, e);
        if (CHANNELS.get(key) == e) {
          throw DirectoryLock.locked(dir, false, holder(e)); // the channel is kept because a lock is held
        }
        return lock(dir, lockFile, false);
      }
      FileLock lock;
      try {
        lock = e.channel.tryLock(0, Long.MAX_VALUE, shared);
      } catch (OverlappingFileLockException ex) {
        lock = null; // another class loader, or another path to this file, holds it
      }
      if (lock == null) {
        String holder = holder(e);
        closeIfSafe(key, e);
        throw DirectoryLock.locked(dir, shared, holder);
      }
      if (!shared) {
        try {
          byte[] pid = DirectoryLock.pidRecord();
          e.channel.write(ByteBuffer.wrap(pid), 0);
          if (e.channel.size() > pid.length) {
            e.channel.truncate(pid.length);
          }
        } catch (IOException ex) {
          lock.release();
          closeIfSafe(key, e);
          throw ex;
        }
      }
      e.lock = lock;
      e.shared = shared;
      e.users = 1;
      return () -> release(key, e);
    }
  }

  static String holder(Path lockFile) throws IOException {
    synchronized (JdkLocks.class) {
      if (!Files.exists(lockFile)) {
        return "";
      }
      Path key = lockFile.getParent().toRealPath();
      Entry e = entry(key, lockFile, true);
      try {
        return holder(e);
      } finally {
        closeIfSafe(key, e);
      }
    }
  }

  /** The cached channel of {@code key}'s lock file, opened if there is none or it is stale. */
  private static Entry entry(Path key, Path lockFile, boolean shared) throws IOException {
    Entry e = CHANNELS.get(key);
    Object current = Files.exists(lockFile) ? fileKey(lockFile) : null;
    if (e != null && e.lock == null && !e.fileKey.equals(current)) {
      // The file was deleted or replaced since: no lock can be on the old one any more that
      // matters, and closing it cannot touch the locks of the new one.
      CHANNELS.remove(key);
      e.channel.close();
      e = null;
    }
    if (e == null) {
      boolean writable = !(shared && Files.exists(lockFile) && !Files.isWritable(lockFile));
      FileChannel ch = writable
          ? FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE)
          : FileChannel.open(lockFile, StandardOpenOption.READ);
      e = new Entry(ch, fileKey(lockFile), writable);
      CHANNELS.put(key, e);
    }
    return e;
  }

  private static Object fileKey(Path lockFile) throws IOException {
    Object k = Files.readAttributes(lockFile, BasicFileAttributes.class).fileKey();
    return k != null ? k : lockFile.toRealPath();
  }

  private static String holder(Entry e) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      int n = e.channel.read(buffer, 0);
      return DirectoryLock.parseHolder(buffer.array(), n);
    } catch (IOException ex) {
      return "";
    }
  }

  private static void release(Path key, Entry e) throws IOException {
    synchronized (JdkLocks.class) {
      if (--e.users > 0) {
        return;
      }
      FileLock lock = e.lock;
      e.lock = null;
      if (lock.isValid()) {
        lock.release();
      }
      closeIfSafe(key, e);
      // Channels kept by refusals through other paths to the file (or to other files) may be
      // closable now too.
      for (Map.Entry<Path, Entry> idle : new ArrayList<>(CHANNELS.entrySet())) {
        closeIfSafe(idle.getKey(), idle.getValue());
      }
    }
  }

  /**
   * Closes the channel if no lock of this JVM is on the file, proven by holding a (shared) probe
   * lock through it while closing: meanwhile the JVM refuses every other lock on the file.
   */
  private static void closeIfSafe(Path key, Entry e) throws IOException {
    if (e.lock != null) {
      return;
    }
    FileLock probe;
    try {
      probe = e.channel.tryLock(0, Long.MAX_VALUE, true);
    } catch (OverlappingFileLockException ex) {
      return; // another class loader or path holds one: keep the channel for next time
    }
    if (probe != null) {
      CHANNELS.remove(key);
      e.channel.close(); // releases the probe
    }
    // probe == null: another process holds it exclusively; without a probe the close could race
    // with a lock being taken in this JVM, so the channel stays for next time.
  }
}
