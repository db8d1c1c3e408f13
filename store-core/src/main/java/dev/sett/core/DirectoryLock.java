package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The OS lock on a store's {@code LOCK} file: exclusive for the one writer, shared by read-only
 * handles.
 *
 * <p><b>Why {@code flock}, not {@code FileChannel.lock}.</b> On Linux the JDK's file locks are POSIX
 * record locks, which belong to the process and vanish when <em>any</em> descriptor of the file in
 * the process is closed: a refused second open, a read of the holder's pid, another class loader's
 * copy of Sett or an application's backup code reading {@code LOCK} would each silently drop the
 * writer's lock, and a second writer (in another process) then got in. {@code flock(2)} locks
 * belong to the open file description instead: only closing the lock's own descriptor releases it,
 * and a second open of the same file, through any path (a symlink, a bind mount), from any class
 * loader or process, conflicts with it. The descriptor is opened and locked through native calls
 * (jnr-ffi, which Chronicle Bytes already brings), so no JDK channel ever owns it.
 *
 * <p>Where the native call is unavailable (not Linux or macOS, or jnr-ffi cannot load), the JDK lock
 * is used, with the weaker guarantee described above; {@link #kind()} says which one a handle got.
 *
 * <p><b>Lifetime and threading.</b> Held from {@link #tryAcquire} until {@link #close()}
 * (idempotent). Thread-safe.
 */
final class DirectoryLock implements AutoCloseable {
  private final Path file;
  private final int fd;
  private final FileChannel channel;
  private final FileLock jdkLock;
  private boolean closed;

  private DirectoryLock(Path file, int fd, FileChannel channel, FileLock jdkLock) {
    this.file = file;
    this.fd = fd;
    this.channel = channel;
    this.jdkLock = jdkLock;
  }

  /** "flock" or "jdk": how this lock is held. */
  String kind() {
    return channel == null ? "flock" : "jdk";
  }

  /**
   * Locks {@code file} (created if missing), shared or exclusive, without waiting; null if another
   * holder's lock conflicts.
   */
  static DirectoryLock tryAcquire(Path file, boolean shared) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(file);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another opener created it first
      }
    }
    NativeFlock flock = NativeFlock.get();
    if (flock != null) {
      return tryFlock(flock, file, shared);
    }
    return tryJdkLock(file, shared);
  }

  private static DirectoryLock tryFlock(NativeFlock flock, Path file, boolean shared) throws IOException {
    boolean readOnlyFile = shared && !Files.isWritable(file);
    int fd = flock.open(file, readOnlyFile);
    if (flock.tryLock(fd, shared)) {
      return new DirectoryLock(file, fd, null, null);
    }
    flock.close(fd);
    return null;
  }

  private static DirectoryLock tryJdkLock(Path file, boolean shared) throws IOException {
    FileChannel ch = shared && !Files.isWritable(file)
        ? FileChannel.open(file, StandardOpenOption.READ)
        : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock(0, Long.MAX_VALUE, shared);
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      // With POSIX record locks this close may drop a lock this process holds on the file: the
      // weaker guarantee of the fallback.
      ch.close();
      return null;
    }
    return new DirectoryLock(file, -1, ch, lock);
  }

  /**
   * Records this process as the holder, for operators and for the message a refused opener gets.
   * Written through a descriptor of its own: closing it releases nothing (flock), and the text is
   * padded to a fixed width so that the file never needs truncating (a journal transaction, on every
   * open).
   */
  void recordHolder() throws IOException {
    byte[] pid = String.format("pid %-26d\n", ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
    if (channel != null) {
      channel.write(ByteBuffer.wrap(pid), 0);
      if (channel.size() > pid.length) {
        channel.truncate(pid.length);
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(pid), 0);
      if (ch.size() > pid.length) {
        ch.truncate(pid.length);
      }
    }
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
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (channel == null) {
      NativeFlock.get().close(fd); // closing the descriptor releases the flock
      return;
    }
    try {
      if (jdkLock.isValid()) {
        jdkLock.release();
      }
    } finally {
      channel.close();
    }
  }
}
